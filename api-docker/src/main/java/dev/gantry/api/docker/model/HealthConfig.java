package dev.gantry.api.docker.model;

import java.util.List;

/**
 * A health check (swagger {@code HealthConfig}): {@code Test} is {@code ["NONE"]},
 * {@code ["CMD", args...]} or {@code ["CMD-SHELL", command]}; durations in nanoseconds.
 */
public record HealthConfig(List<String> test, Long interval, Long timeout, Integer retries, Long startPeriod, Long startInterval) {}
