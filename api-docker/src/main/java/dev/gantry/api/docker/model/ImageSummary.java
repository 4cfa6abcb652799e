package dev.gantry.api.docker.model;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code GET /images/json}. {@code Id} is {@code sha256:<hex>} of the image
 * config; {@code Created} in Unix seconds; sizes in bytes, -1 when not computed.
 */
public record ImageSummary(
        String id,
        String parentId,
        List<String> repoTags,
        List<String> repoDigests,
        Long created,
        Long size,
        Long sharedSize,
        Map<String, String> labels,
        Integer containers) {}
