package dev.gantry.api.docker.model;

import java.util.List;

public record ContainerPruneResponse(List<String> containersDeleted, long spaceReclaimed) {}
