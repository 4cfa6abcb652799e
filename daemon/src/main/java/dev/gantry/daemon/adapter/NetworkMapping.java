package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.model.ContainerCreateRequest;
import dev.gantry.api.docker.model.EndpointSettings;
import dev.gantry.api.docker.model.PortBinding;
import dev.gantry.engine.net.NetworkOptions;
import dev.gantry.engine.net.PortMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The network parts of a Docker create body as the engine's {@link NetworkOptions}. */
final class NetworkMapping {
    private NetworkMapping() {}

    static NetworkOptions options(ContainerCreateRequest request) {
        var h = request.hostConfig();
        var c = request.config();
        List<PortMapping> ports = new ArrayList<>();
        if (h != null && h.portBindings() != null) {
            for (Map.Entry<String, List<PortBinding>> e : h.portBindings().entrySet()) {
                List<PortBinding> bindings = e.getValue() == null || e.getValue().isEmpty()
                        ? List.of(new PortBinding("", "")) : e.getValue();
                for (PortBinding b : bindings) {
                    ports.add(PortMapping.ofKey(e.getKey(), b.hostIp() == null || b.hostIp().equals("0.0.0.0") ? "" : b.hostIp(),
                            b.hostPort()));
                }
            }
        }
        Map<String, NetworkOptions.EndpointRequest> endpoints = new LinkedHashMap<>();
        if (request.networkingConfig() != null && request.networkingConfig().endpointsConfig() != null) {
            for (Map.Entry<String, EndpointSettings> e : request.networkingConfig().endpointsConfig().entrySet()) {
                EndpointSettings s = e.getValue();
                endpoints.put(e.getKey(), new NetworkOptions.EndpointRequest(s == null ? null : s.aliases(),
                        s == null || s.ipamConfig() == null ? null : s.ipamConfig().ipv4Address()));
            }
        }
        return new NetworkOptions(endpoints, ports, h != null && Boolean.TRUE.equals(h.publishAllPorts()),
                c == null || c.exposedPorts() == null ? null : c.exposedPorts().keySet(),
                h == null ? null : h.dns(), h == null ? null : h.dnsSearch(), h == null ? null : h.dnsOptions(),
                h == null ? null : h.extraHosts());
    }
}
