package dev.gantry.api.docker.model;

import java.util.List;

/** The answer to {@code GET /system/df}: what {@code docker system df} sums up. */
public record SystemDataUsage(
        Long layersSize,
        List<ImageSummary> images,
        List<ContainerSummary> containers,
        List<Volume> volumes,
        List<Object> buildCache) {}
