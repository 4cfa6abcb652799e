package dev.gantry.api.docker.backend;

import java.time.Instant;

/**
 * {@code GET /containers/{id}/logs}: which streams, whether to keep following, the time
 * window (null: open), RFC 3339 timestamps in front of each line, and the last
 * {@code tail} lines only (null: all).
 */
public record LogQuery(boolean follow, boolean stdout, boolean stderr, Instant since, Instant until, boolean timestamps, Integer tail) {}
