package dev.gantry.api.docker.http;

/**
 * The three standard streams of a container process, numbered as in the header byte of
 * Docker's multiplexed stream format (stdin 0, stdout 1, stderr 2).
 */
public enum StdStream {
    STDIN(0),
    STDOUT(1),
    STDERR(2);

    private final int code;

    StdStream(int code) {
        this.code = code;
    }

    /** The stream-type byte written in a multiplexed frame header. */
    public int code() {
        return code;
    }
}
