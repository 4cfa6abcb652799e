package dev.gantry.api.docker.model;

import java.util.List;

public record VolumeListResponse(List<Volume> volumes, List<String> warnings) {}
