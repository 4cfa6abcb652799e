package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.sys.Syscalls;

/**
 * Connects this process's stdin and stdout to a container's pty master when there is no
 * console socket to hand it to (a foreground `run` or `exec -t`). When stdin is a terminal it
 * is put in raw mode for the session (keys reach the container's terminal unprocessed, echo
 * comes from the container) and the container's window gets its size, again on every
 * SIGWINCH (tty_ioctl(4): the kernel signals the foreground process group when the terminal is
 * resized). Copies on two platform threads: both block in read(2).
 */
final class TerminalProxy {
    private final Syscalls sys;
    private final int master;
    private final Thread out;
    private final byte[] savedTerminal;
    private final Thread restore;

    TerminalProxy(Syscalls sys, int master) {
        this.sys = sys;
        this.master = master;
        if (sys.isatty(0)) {
            if (sys.isatty(1)) {
                copyWindowSize();
                // sun.misc.Signal (module jdk.unsupported) is the JDK's one supported way to
                // handle a signal; the handler runs on a JVM thread, not in signal context.
                sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> copyWindowSize());
            }
            this.savedTerminal = sys.makeRaw(0);
            // Also when the JVM is ended by a signal: a terminal left raw is unusable.
            this.restore = new Thread(() -> sys.restoreTerminal(0, savedTerminal));
            Runtime.getRuntime().addShutdownHook(restore);
        } else {
            this.savedTerminal = null;
            this.restore = null;
        }
        this.out = Thread.ofPlatform().daemon().name("pty-out").start(() -> copy(master, 1));
        Thread.ofPlatform().daemon().name("pty-in").start(() -> copy(0, master));
    }

    private void copyWindowSize() {
        try {
            int[] size = sys.windowSize(1);
            sys.setWindowSize(master, size[0], size[1]);
        } catch (GantryException e) {
            // The master is closed once the container is done: nothing is left to resize.
        }
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

    /** Waits until everything the container wrote has been copied out, then restores the terminal. */
    void finish() throws InterruptedException {
        out.join(2000);
        sys.close(master);
        if (savedTerminal != null) {
            sys.restoreTerminal(0, savedTerminal);
            Runtime.getRuntime().removeShutdownHook(restore);
        }
    }
}
