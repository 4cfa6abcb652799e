package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.api.docker.json.Json;

/**
 * The body of {@code POST /containers/create}. On the wire Docker inlines the
 * {@link ContainerConfig} fields next to {@code HostConfig} and {@code NetworkingConfig};
 * here they are kept apart.
 */
public record ContainerCreateRequest(ContainerConfig config, HostConfig hostConfig, NetworkingConfig networkingConfig) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ContainerCreateRequest fromJson(ObjectNode node) throws com.fasterxml.jackson.databind.JsonMappingException {
        HostConfig host = node.hasNonNull("HostConfig") ? Json.convert(node.get("HostConfig"), "HostConfig", HostConfig.class) : null;
        NetworkingConfig net = node.hasNonNull("NetworkingConfig")
                ? Json.convert(node.get("NetworkingConfig"), "NetworkingConfig", NetworkingConfig.class) : null;
        return new ContainerCreateRequest(Json.convert(node, null, ContainerConfig.class), host, net);
    }

    @JsonValue
    ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.valueToTree(config);
        if (hostConfig != null) {
            node.set("HostConfig", Json.MAPPER.valueToTree(hostConfig));
        }
        if (networkingConfig != null) {
            node.set("NetworkingConfig", Json.MAPPER.valueToTree(networkingConfig));
        }
        return node;
    }
}
