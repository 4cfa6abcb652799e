package dev.gantry.sys;

/**
 * How a process ended, from waitid(2): either it exited with a code, or a signal killed it.
 * {@link #shellCode()} is the conventional 0–255 status a shell reports (128+signal).
 */
public record ExitStatus(boolean signaled, int value) {
    public static ExitStatus exited(int code) {
        return new ExitStatus(false, code);
    }

    public static ExitStatus killedBy(int signal) {
        return new ExitStatus(true, signal);
    }

    public int shellCode() {
        return signaled ? 128 + value : value;
    }
}
