package dev.gantry.api.docker.model;

import java.util.List;

public record ImagePruneResponse(List<ImageDeleteItem> imagesDeleted, long spaceReclaimed) {}
