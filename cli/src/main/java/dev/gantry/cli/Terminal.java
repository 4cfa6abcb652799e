package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import sun.misc.Signal;

/**
 * This process's terminal during {@code -t} sessions: raw mode on stdin (keys reach the
 * container's terminal unprocessed; ctrl-c is a byte, not a signal), the window size, and
 * SIGWINCH. Terminal settings go through {@code stty -F <device>} rather than tcsetattr
 * downcalls: measured here, a cold JVM spends 37-55 ms linking the FFM downcalls of
 * gantry-sys's LinuxSyscalls against 13-16 ms for the stty processes (docs/cli.md).
 * SIGWINCH is caught with {@code sun.misc.Signal} from the jdk.unsupported module (exported,
 * unlike jdk.internal.misc.Signal): the JDK has no other way to observe a signal.
 */
public final class Terminal implements AutoCloseable {
    private final String device;
    private final String saved;
    private final Thread restore;

    private Terminal(String device, String saved) {
        this.device = device;
        this.saved = saved;
        // Also when the JVM ends by a signal: a terminal left raw is unusable.
        this.restore = new Thread(() -> stty(device, saved));
        Runtime.getRuntime().addShutdownHook(restore);
    }

    /** Puts stdin in raw mode when it is a terminal; returns null otherwise. */
    public static Terminal rawStdin() {
        String device = device(0);
        if (device == null) {
            return null;
        }
        // One shell for both steps: the settings to restore, then raw mode without echo.
        String saved = run("sh", "-c", "stty -F \"$1\" -g && stty -F \"$1\" raw -echo", "sh", device).strip();
        return new Terminal(device, saved);
    }

    /** The window size of stdout (else stdin) as {rows, columns}, or null when neither is a terminal. */
    public static int[] windowSize() {
        String device = device(1);
        if (device == null) {
            device = device(0);
        }
        if (device == null) {
            return null;
        }
        String[] size = run("stty", "-F", device, "size").strip().split("\\s+");
        if (size.length != 2) {
            return null;
        }
        int rows = Integer.parseInt(size[0]);
        int cols = Integer.parseInt(size[1]);
        return rows == 0 && cols == 0 ? null : new int[] {rows, cols};
    }

    /** Runs {@code onResize} (on the JVM's signal thread) each time the window changes size. */
    public static void onResize(Runnable onResize) {
        Signal.handle(new Signal("WINCH"), sig -> onResize.run());
    }

    /** The terminal device behind file descriptor {@code fd}, or null when it is not a terminal. */
    static String device(int fd) {
        if (!Session.isTerminal(fd)) {
            return null;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static void stty(String device, String settings) {
        run("stty", "-F", device, settings);
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new GantryException(ErrorKind.INTERNAL, String.join(" ", cmd) + " failed with exit code " + p.exitValue());
            }
            return out;
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "cannot run stty (coreutils) for the terminal: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while setting up the terminal");
        }
    }

    @Override
    public void close() {
        stty(device, saved);
        Runtime.getRuntime().removeShutdownHook(restore);
    }
}
