package dev.gantry.engine;

import java.io.IOException;

/**
 * Receives a process's output as it is produced ({@link Engine#execStart}): bytes of one
 * stream at a time, never a whole line guaranteed.
 */
@FunctionalInterface
public interface OutputSink {
    void write(LogStream stream, byte[] data, int off, int len) throws IOException;
}
