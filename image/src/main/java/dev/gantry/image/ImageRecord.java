package dev.gantry.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;

/**
 * One name in the image store: the canonical reference it is stored under, the manifest it
 * points to, the config digest (the image ID), the digest the registry knew it by
 * ({@code repoDigest}, may be null), the repository it came from (for cross-repository
 * mounts on push, may be null), and when the name was last set (ISO-8601).
 */
public record ImageRecord(
        @JsonProperty("name") String name,
        @JsonProperty("target") Descriptor target,
        @JsonProperty("id") Digest id,
        @JsonProperty("repoDigest") String repoDigest,
        @JsonProperty("source") String source,
        @JsonProperty("taggedAt") String taggedAt) {
}
