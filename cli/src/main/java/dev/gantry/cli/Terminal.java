package dev.gantry.cli;

import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import sun.misc.Signal;

/**
 * This process's terminal during {@code -t} sessions: raw mode on stdin (keys reach the
 * container's terminal unprocessed; ctrl-c is a byte, not a signal) through gantry-sys's
 * tcgetattr/cfmakeraw/tcsetattr downcalls, the window size of stdout, and SIGWINCH.
 * SIGWINCH is caught with {@code sun.misc.Signal} from the jdk.unsupported module (exported,
 * unlike jdk.internal.misc.Signal): the JDK has no other way to observe a signal.
 */
public final class Terminal implements AutoCloseable {
    private final Syscalls sys;
    private final byte[] saved;
    private final Thread restore;

    private Terminal(Syscalls sys, byte[] saved) {
        this.sys = sys;
        this.saved = saved;
        // Also when the JVM ends by a signal or System.exit: a terminal left raw is unusable.
        this.restore = new Thread(() -> sys.restoreTerminal(0, saved));
        Runtime.getRuntime().addShutdownHook(restore);
    }

    /** Puts stdin in raw mode when it is a terminal; returns null otherwise. */
    public static Terminal rawStdin() {
        if (!Session.isTerminal(0)) {
            return null;
        }
        Syscalls sys = new LinuxSyscalls();
        return new Terminal(sys, sys.makeRaw(0));
    }

    /** The window size of stdout as {rows, columns}, or null when stdout is not a terminal. */
    public static int[] windowSize() {
        if (!Session.isTerminal(1)) {
            return null;
        }
        int[] size = new LinuxSyscalls().windowSize(1);
        return size[0] == 0 && size[1] == 0 ? null : size;
    }

    /** Runs {@code onResize} (on the JVM's signal thread) each time the window changes size. */
    public static void onResize(Runnable onResize) {
        Signal.handle(new Signal("WINCH"), sig -> onResize.run());
    }

    @Override
    public void close() {
        sys.restoreTerminal(0, saved);
        Runtime.getRuntime().removeShutdownHook(restore);
    }
}
