package dev.gantry.engine;

import java.util.List;

/**
 * A health-checked container's health ({@code State.Health} of inspect).
 *
 * @param status        {@code starting} until the first success or until failures outside the start
 *                      period reach the retries, then {@code healthy} or {@code unhealthy}
 * @param failingStreak consecutive failed probes counted so far
 * @param log           the last five probes, oldest first
 */
public record Health(String status, int failingStreak, List<Probe> log) {
    public static final String STARTING = "starting";
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";

    public Health {
        log = List.copyOf(log);
    }

    /**
     * One probe: when it ran, its exit code (-1 when it could not run or timed out) and its
     * output (stdout and stderr, at most 4 KiB).
     */
    public record Probe(String start, String end, int exitCode, String output) {}
}
