package dev.gantry.sys;

/**
 * How a process ended, from waitid(2) or the kernel's record of a reaped process: either it exited with a code, or a signal killed it.
 * {@link #shellCode()} is the conventional 0–255 status a shell reports (128+signal).
 */
public record ExitStatus(boolean signaled, int value) {
    public static ExitStatus exited(int code) {
        return new ExitStatus(false, code);
    }

    public static ExitStatus killedBy(int signal) {
        return new ExitStatus(true, signal);
    }

    /**
     * Decodes a status in wait(2)'s encoding (WIFEXITED, WEXITSTATUS, WTERMSIG): the exit code
     * in bits 8–15, or the killing signal in bits 0–6 (bit 7 tells whether it dumped core).
     */
    public static ExitStatus ofWaitStatus(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? exited((status >> 8) & 0xff) : killedBy(signal);
    }

    public int shellCode() {
        return signaled ? 128 + value : value;
    }
}
