package dev.gantry.api.docker.model;

import java.util.List;

public record VolumePruneResponse(List<String> volumesDeleted, long spaceReclaimed) {}
