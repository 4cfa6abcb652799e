package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One event of {@code GET /events}. {@code Type} is container, image, volume, network...;
 * {@code Action} create, start, die, destroy, pull, tag...; {@code Actor.ID} the object's id
 * and {@code Actor.Attributes} its name, image, labels, exit code. {@code status}, {@code id}
 * and {@code from} repeat them for clients older than API 1.22.
 */
public record EventMessage(
        String type,
        String action,
        Actor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano,
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("from") String from) {

    public record Actor(@JsonProperty("ID") String id, Map<String, String> attributes) {}

    /** An event with the legacy fields derived from the modern ones, as dockerd sends it. */
    public static EventMessage of(String type, String action, String actorId, Map<String, String> attributes, long timeNano) {
        String from = "container".equals(type) && attributes != null ? attributes.get("image") : null;
        return new EventMessage(type, action, new Actor(actorId, attributes), "local", timeNano / 1_000_000_000L, timeNano,
                action, actorId, from);
    }
}
