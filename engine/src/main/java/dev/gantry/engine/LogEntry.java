package dev.gantry.engine;

import java.time.Instant;

/**
 * One entry of a container's log: a line (with its trailing newline, when it had one; a line
 * longer than 16 KiB is cut into several entries, as Docker's json-file driver does), the
 * stream it came from and when the engine read it.
 */
public record LogEntry(LogStream stream, Instant time, byte[] line) {
}
