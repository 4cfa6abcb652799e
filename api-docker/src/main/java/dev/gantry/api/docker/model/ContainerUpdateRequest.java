package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.api.docker.json.Json;

/**
 * The body of {@code POST /containers/{id}/update}: the {@link Resources} fields inline plus
 * an optional {@code RestartPolicy}, as Docker's {@code UpdateConfig} embeds them.
 */
public record ContainerUpdateRequest(Resources resources, RestartPolicy restartPolicy) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ContainerUpdateRequest fromJson(ObjectNode node) throws com.fasterxml.jackson.databind.JsonMappingException {
        RestartPolicy policy = node.hasNonNull("RestartPolicy") ? Json.convert(node.get("RestartPolicy"), "RestartPolicy", RestartPolicy.class) : null;
        return new ContainerUpdateRequest(Json.convert(node, null, Resources.class), policy);
    }

    @JsonValue
    ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.valueToTree(resources);
        if (restartPolicy != null) {
            node.set("RestartPolicy", Json.MAPPER.valueToTree(restartPolicy));
        }
        return node;
    }
}
