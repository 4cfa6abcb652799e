package dev.gantry.api.docker.model;

import java.util.List;

/** The answer to create: the new container's 64-hex id and warnings for the user. */
public record ContainerCreateResponse(String id, List<String> warnings) {}
