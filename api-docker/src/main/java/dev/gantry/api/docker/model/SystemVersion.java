package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The answer to {@code GET /version}; {@code GoVersion} carries the Java runtime's version. */
public record SystemVersion(
        Platform platform,
        List<Component> components,
        String version,
        String apiVersion,
        @JsonProperty("MinAPIVersion") String minApiVersion,
        String gitCommit,
        String goVersion,
        String os,
        String arch,
        String kernelVersion,
        Boolean experimental,
        String buildTime) {

    public record Platform(String name) {}

    public record Component(String name, String version, Map<String, String> details) {}
}
