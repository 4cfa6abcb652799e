package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One result of {@code GET /images/search} (lower-case names, as Docker Hub answers). */
public record ImageSearchResult(
        @JsonProperty("description") String description,
        @JsonProperty("is_official") Boolean official,
        @JsonProperty("name") String name,
        @JsonProperty("star_count") Integer starCount) {}
