package dev.gantry.engine;

/** Which of a container's output streams a log entry came from; a TTY container has only stdout. */
public enum LogStream {
    STDOUT, STDERR;

    public String wire() {
        return this == STDOUT ? "stdout" : "stderr";
    }
}
