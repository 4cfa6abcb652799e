package dev.gantry.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A snapshot's metadata: key or name, parent name (null for a base), kind, creation time (ISO-8601). */
public record SnapshotInfo(
        @JsonProperty("name") String name,
        @JsonProperty("parent") String parent,
        @JsonProperty("kind") Kind kind,
        @JsonProperty("created") String created) {

    /** The three kinds of snapshot (see {@link Snapshotter}). */
    public enum Kind { ACTIVE, VIEW, COMMITTED }
}
