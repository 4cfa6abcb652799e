package dev.gantry.engine.net;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's networking, stored as {@code network/containers/<id>.json}: what it asked for at
 * create, and, while it runs, its endpoints and published ports.
 *
 * @param mode      {@code bridge}, {@code host}, {@code none}, {@code container:<id>} or a user network's id
 * @param networks  network id → settings, the mode's network first (eth0), in attachment order
 * @param endpoints the attachments in place (empty when not running)
 * @param published the ports published in place
 */
record ContainerNet(String id, String hostname, String mode, Map<String, NetworkOptions.EndpointRequest> networks,
                    NetworkOptions options, List<Endpoint> endpoints, List<PortMapping> published) {
    ContainerNet {
        networks = networks == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(networks));
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        published = published == null ? List.of() : List.copyOf(published);
    }

    ContainerNet withLive(List<Endpoint> e, List<PortMapping> p) {
        return new ContainerNet(id, hostname, mode, networks, options, e, p);
    }

    ContainerNet withNetworks(Map<String, NetworkOptions.EndpointRequest> n) {
        return new ContainerNet(id, hostname, mode, n, options, endpoints, published);
    }

    /** It has endpoints or published ports in place. */
    boolean isLive() {
        return !endpoints.isEmpty() || !published.isEmpty();
    }

    boolean joinsAnother() {
        return mode.startsWith("container:");
    }

    String joinedId() {
        return mode.substring("container:".length());
    }
}
