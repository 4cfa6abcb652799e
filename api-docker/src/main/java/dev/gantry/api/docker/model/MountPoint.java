package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A mount as reported by container inspect and list (swagger {@code MountPoint}). */
public record MountPoint(
        String type,
        String name,
        String source,
        String destination,
        String driver,
        String mode,
        @JsonProperty("RW") Boolean rw,
        String propagation) {}
