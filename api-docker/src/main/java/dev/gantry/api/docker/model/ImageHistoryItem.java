package dev.gantry.api.docker.model;

import java.util.List;

/** One layer-producing step in {@code GET /images/{name}/history}; {@code Id} is "<missing>" for non-top layers. */
public record ImageHistoryItem(String id, Long created, String createdBy, List<String> tags, Long size, String comment) {}
