package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A path in a container's filesystem, as archive HEAD/GET report it (base64 JSON in the
 * {@code X-Docker-Container-Path-Stat} header). {@code mode} is Go's {@code os.FileMode}
 * (permission bits plus type bits such as 1<<31 for a directory); {@code mtime} RFC 3339.
 */
public record PathStat(
        @JsonProperty("name") String name,
        @JsonProperty("size") long size,
        @JsonProperty("mode") long mode,
        @JsonProperty("mtime") String mtime,
        @JsonProperty("linkTarget") String linkTarget) {}
