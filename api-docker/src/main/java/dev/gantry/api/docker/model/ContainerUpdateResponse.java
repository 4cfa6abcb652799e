package dev.gantry.api.docker.model;

import java.util.List;

public record ContainerUpdateResponse(List<String> warnings) {}
