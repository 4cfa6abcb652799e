package dev.gantry.api.docker.model;

/**
 * When the engine restarts a container: {@code Name} is "", "no", "always",
 * "unless-stopped" or "on-failure" (with {@code MaximumRetryCount}).
 */
public record RestartPolicy(String name, Integer maximumRetryCount) {}
