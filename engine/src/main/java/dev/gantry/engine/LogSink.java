package dev.gantry.engine;

import java.io.IOException;

/**
 * Receives log entries from {@link Engine#logs}. Throwing {@link IOException} (the client went
 * away) ends the read.
 */
@FunctionalInterface
public interface LogSink {
    void accept(LogEntry entry) throws IOException;
}
