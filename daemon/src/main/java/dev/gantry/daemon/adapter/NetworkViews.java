package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.model.ContainerSummary;
import dev.gantry.api.docker.model.EndpointSettings;
import dev.gantry.api.docker.model.NetworkSettings;
import dev.gantry.api.docker.model.PortBinding;
import dev.gantry.engine.Container;
import dev.gantry.engine.net.Endpoint;
import dev.gantry.engine.net.NetworkOptions;
import dev.gantry.engine.net.NetworkService;
import dev.gantry.engine.net.PortMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A container's networking in the shapes of Docker's inspect ({@code NetworkSettings}) and list ({@code Ports}). */
final class NetworkViews {
    private NetworkViews() {}

    static NetworkSettings settings(NetworkService net, Container c) {
        String mode = net.mode(c.id());
        Map<String, EndpointSettings> networks = new LinkedHashMap<>();
        Endpoint onDefault = null;
        for (Map.Entry<String, Endpoint> e : net.endpoints(c.id()).entrySet()) {
            networks.put(e.getKey(), endpoint(e.getValue(), net.options(c.id())));
            if (e.getKey().equals("bridge")) {
                onDefault = e.getValue();
            }
        }
        if (mode.equals("host") || mode.equals("none")) {
            networks.put(mode, new EndpointSettings(null, null, "", null, null, NetworkAdapter.pseudoId(mode), "", "", "", 0, "", "", 0,
                    null));
        }
        boolean running = c.state().status().isLive();
        String sandbox = running && !net.endpoints(c.id()).isEmpty() ? net.sandboxKey(c.id()) : "";
        return new NetworkSettings("", running ? c.id() : "", sandbox, ports(net, c.id()),
                onDefault == null ? "" : onDefault.address(), onDefault == null ? 0 : onDefault.prefixLength(),
                onDefault == null || onDefault.address().isEmpty() ? "" : onDefault.gateway(),
                onDefault == null ? "" : onDefault.mac(), onDefault == null ? "" : onDefault.endpointId(), networks);
    }

    /** The endpoint, with {@code IPAMConfig} saying which static address was asked for (as Docker's inspect does). */
    private static EndpointSettings endpoint(Endpoint e, NetworkOptions o) {
        boolean up = !e.address().isEmpty();
        String asked = o.endpoints().entrySet().stream()
                .filter(r -> r.getKey().equals(e.networkName()) || r.getKey().equals(e.networkId()))
                .map(r -> r.getValue().ipv4Address()).filter(a -> a != null).findFirst().orElse(null);
        return new EndpointSettings(asked == null ? null : new EndpointSettings.IpamConfig(asked, null, null), null, e.mac(), e.aliases(), null, e.networkId(), e.endpointId(), up ? e.gateway() : "",
                e.address(), e.prefixLength(), "", "", 0, null);
    }

    /** Every exposed port: with its host bindings while published, else null (Docker's "exposed, not published"). */
    static Map<String, List<PortBinding>> ports(NetworkService net, String id) {
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        NetworkOptions o = net.options(id);
        o.exposedPorts().stream().sorted().forEach(k -> out.put(k.contains("/") ? k : k + "/tcp", null));
        for (PortMapping p : net.published(id)) {
            List<PortBinding> l = out.get(p.key()) == null ? new ArrayList<>() : out.get(p.key());
            l.add(new PortBinding(p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), Integer.toString(p.hostPort())));
            out.put(p.key(), l);
        }
        return out;
    }

    static List<ContainerSummary.Port> summaryPorts(NetworkService net, String id) {
        List<ContainerSummary.Port> out = new ArrayList<>();
        List<PortMapping> published = net.published(id);
        for (PortMapping p : published) {
            out.add(new ContainerSummary.Port(p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), p.containerPort(), p.hostPort(), p.protocol()));
        }
        for (String k : net.options(id).exposedPorts()) {
            PortMapping e = PortMapping.ofKey(k, "", "0");
            if (published.stream().noneMatch(p -> p.key().equals(e.key()))) {
                out.add(new ContainerSummary.Port(null, e.containerPort(), null, e.protocol()));
            }
        }
        return out;
    }

    static Map<String, EndpointSettings> summaryNetworks(NetworkService net, Container c) {
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        NetworkOptions o = net.options(c.id());
        net.endpoints(c.id()).forEach((name, e) -> out.put(name, endpoint(e, o)));
        String mode = net.mode(c.id());
        if (out.isEmpty() && (mode.equals("host") || mode.equals("none"))) {
            out.put(mode, new EndpointSettings(null, null, "", null, null, NetworkAdapter.pseudoId(mode), "", "", "", 0, "", "", 0, null));
        }
        return out;
    }

    /** The network entries of inspect's HostConfig. */
    static void hostConfig(NetworkService net, String id, Map<String, Object> m) {
        NetworkOptions o = net.options(id);
        m.put("NetworkMode", net.mode(id));
        Map<String, List<Map<String, String>>> bindings = new LinkedHashMap<>();
        for (PortMapping p : o.ports()) {
            bindings.computeIfAbsent(p.key(), k -> new ArrayList<>())
                    .add(Map.of("HostIp", p.hostIp(), "HostPort", p.hostPort() == 0 ? "" : Integer.toString(p.hostPort())));
        }
        m.put("PortBindings", bindings);
        m.put("PublishAllPorts", o.publishAll());
        m.put("Dns", o.dns());
        m.put("DnsSearch", o.dnsSearch());
        m.put("DnsOptions", o.dnsOptions());
        m.put("ExtraHosts", o.extraHosts());
    }
}
