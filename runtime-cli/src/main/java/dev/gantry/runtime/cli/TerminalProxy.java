package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.sys.Syscalls;

/**
 * Connects this process's stdin and stdout to a container's pty master when there is no
 * console socket to hand it to (a foreground `run` or `exec -t`). Copies on two platform
 * threads: both block in read(2).
 */
final class TerminalProxy {
    private final Syscalls sys;
    private final int master;
    private final Thread out;

    TerminalProxy(Syscalls sys, int master) {
        this.sys = sys;
        this.master = master;
        this.out = Thread.ofPlatform().daemon().name("pty-out").start(() -> copy(master, 1));
        Thread.ofPlatform().daemon().name("pty-in").start(() -> copy(0, master));
    }

    private void copy(int from, int to) {
        byte[] buf = new byte[8192];
        try {
            for (int n = sys.read(from, buf, 0, buf.length); n > 0; n = sys.read(from, buf, 0, buf.length)) {
                sys.write(to, buf, 0, n);
            }
        } catch (GantryException e) {
            // EIO on the master once the last slave fd closes: the container's side is done.
        }
    }

    /** Waits until everything the container wrote has been copied out, then closes the master. */
    void finish() throws InterruptedException {
        out.join(2000);
        sys.close(master);
    }
}
