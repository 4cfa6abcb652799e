package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer to {@code GET /images/{name}/json}. {@code Created} is RFC 3339. */
public record ImageInspect(
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        String parent,
        String comment,
        String created,
        String dockerVersion,
        String author,
        ContainerConfig config,
        String architecture,
        String variant,
        String os,
        String osVersion,
        Long size,
        ContainerInspect.DriverData graphDriver,
        @JsonProperty("RootFS") RootFs rootFs,
        Metadata metadata) {

    /** {@code Type} "layers" and the diff ids of the layers, bottom first. */
    public record RootFs(String type, List<String> layers) {}

    public record Metadata(String lastTagTime) {}
}
