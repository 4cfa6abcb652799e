package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The state of a container in inspect. {@code Status} is one of created, running, paused,
 * restarting, removing, exited, dead; times are RFC 3339 with nanoseconds, and
 * {@code 0001-01-01T00:00:00Z} for "never".
 */
public record ContainerState(
        String status,
        Boolean running,
        Boolean paused,
        Boolean restarting,
        @JsonProperty("OOMKilled") Boolean oomKilled,
        Boolean dead,
        Integer pid,
        Integer exitCode,
        String error,
        String startedAt,
        String finishedAt,
        Health health) {

    /** Health of a container with a health check: starting, healthy, unhealthy (or none). */
    public record Health(String status, Integer failingStreak, List<HealthcheckResult> log) {}

    public record HealthcheckResult(String start, String end, Integer exitCode, String output) {}
}
