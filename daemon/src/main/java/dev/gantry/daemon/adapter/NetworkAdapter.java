package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.backend.NetworkApi;
import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.model.EndpointSettings;
import dev.gantry.api.docker.model.Network;
import dev.gantry.api.docker.model.NetworkConnectRequest;
import dev.gantry.api.docker.model.NetworkCreateRequest;
import dev.gantry.api.docker.model.NetworkCreateResponse;
import dev.gantry.api.docker.model.NetworkDisconnectRequest;
import dev.gantry.api.docker.model.NetworkPruneResponse;
import dev.gantry.base.GantryException;
import dev.gantry.engine.Engine;
import dev.gantry.engine.net.Endpoint;
import dev.gantry.engine.net.NetworkOptions;
import dev.gantry.engine.net.NetworkRecord;
import dev.gantry.engine.net.NetworkService;
import dev.gantry.engine.net.NetworkSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link NetworkApi} over the engine's networks, with Docker's two pseudo-networks {@code host}
 * and {@code none} listed beside them (they have no state: a container in those modes has no
 * endpoint to show).
 */
public final class NetworkAdapter implements NetworkApi {
    private final Engine engine;
    private final NetworkService networks;
    private final String started = Instant.now().toString();

    public NetworkAdapter(Engine engine) {
        this.engine = engine;
        this.networks = engine.networks();
    }

    @Override
    public List<Network> list(Filters filters) {
        Filters f = filters == null ? Filters.NONE : filters;
        List<Network> all = new ArrayList<>();
        for (NetworkRecord n : networks.list()) {
            all.add(view(n));
        }
        all.add(pseudo("host", "host"));
        all.add(pseudo("none", "null"));
        return all.stream()
                .filter(n -> f.matches("driver", n.driver()) && f.matches("scope", n.scope()) && f.matchesLabels("label", n.labels()))
                .filter(n -> !f.has("type") || f.get("type").contains(builtin(n) ? "builtin" : "custom"))
                .filter(n -> !f.has("name") || f.get("name").stream().anyMatch(v -> n.name().contains(v)))
                .filter(n -> !f.has("id") || f.get("id").stream().anyMatch(v -> n.id().startsWith(v)))
                .filter(n -> !f.has("dangling") || f.get("dangling").contains("true") == (!builtin(n) && n.containers().isEmpty()))
                .toList();
    }

    private static boolean builtin(Network n) {
        return n.name().equals("bridge") || n.name().equals("host") || n.name().equals("none");
    }

    @Override
    public Network inspect(String ref) {
        if (ref.equals("host") || ref.equals("none") || ref.equals(pseudoId("host")) || ref.equals(pseudoId("none"))) {
            return ref.startsWith("h") || ref.equals(pseudoId("host")) ? pseudo("host", "host") : pseudo("none", "null");
        }
        return view(networks.get(ref));
    }

    @Override
    public NetworkCreateResponse create(NetworkCreateRequest r) {
        if (r.name() == null || r.name().isEmpty()) {
            throw GantryException.invalid("Name: a network needs a name");
        }
        if (Boolean.TRUE.equals(r.enableIpv6())) {
            throw GantryException.invalid("EnableIPv6: IPv6 networks are not supported");
        }
        if (r.ipam() != null && r.ipam().driver() != null && !r.ipam().driver().isEmpty() && !r.ipam().driver().equals("default")) {
            throw GantryException.invalid("IPAM.Driver: \"" + r.ipam().driver() + "\" is not supported (only default)");
        }
        NetworkCreateRequest.IpamConfig ipam = r.ipam() == null || r.ipam().config() == null || r.ipam().config().isEmpty()
                ? new NetworkCreateRequest.IpamConfig(null, null, null, null) : r.ipam().config().getFirst();
        if (r.ipam() != null && r.ipam().config() != null && r.ipam().config().size() > 1) {
            throw GantryException.invalid("IPAM.Config: only one IPv4 subnet per network is supported");
        }
        NetworkRecord n = networks.create(new NetworkSpec(r.name(), r.driver(), ipam.subnet(), ipam.gateway(), ipam.ipRange(),
                Boolean.TRUE.equals(r.internal()), r.labels(), r.options()));
        return new NetworkCreateResponse(n.id(), "");
    }

    @Override
    public void remove(String ref) {
        if (ref.equals("host") || ref.equals("none")) {
            throw new GantryException(dev.gantry.base.ErrorKind.PERMISSION_DENIED, ref + " is a pre-defined network and cannot be removed");
        }
        networks.remove(ref);
    }

    @Override
    public NetworkPruneResponse prune(Filters filters) {
        Filters f = filters == null ? Filters.NONE : filters;
        List<String> removed = networks.prune(n -> f.matchesLabels("label", n.labels())
                && (!f.has("label!") || !new Filters(Map.of("label", f.get("label!"))).matchesLabels("label", n.labels())));
        return new NetworkPruneResponse(removed);
    }

    @Override
    public void connect(String ref, NetworkConnectRequest request) {
        requireContainer(request.container());
        EndpointSettings e = request.endpointConfig();
        String ip = e == null || e.ipamConfig() == null ? null : e.ipamConfig().ipv4Address();
        networks.connect(ref, request.container(), new NetworkOptions.EndpointRequest(e == null ? null : e.aliases(), ip));
    }

    @Override
    public void disconnect(String ref, NetworkDisconnectRequest request) {
        requireContainer(request.container());
        networks.disconnect(ref, request.container());
    }

    private static void requireContainer(String container) {
        if (container == null || container.isEmpty()) {
            throw GantryException.invalid("Container: a container is required");
        }
    }

    private Network view(NetworkRecord n) {
        Map<String, Object> containers = new LinkedHashMap<>();
        for (Map.Entry<String, Endpoint> e : networks.endpointsOf(n.id()).entrySet()) {
            Endpoint ep = e.getValue();
            String name;
            try {
                name = engine.inspect(e.getKey()).name();
            } catch (GantryException gone) {
                continue;
            }
            Map<String, String> c = new LinkedHashMap<>();
            c.put("Name", name);
            c.put("EndpointID", ep.endpointId());
            c.put("MacAddress", ep.mac());
            c.put("IPv4Address", ep.address() + "/" + ep.prefixLength());
            c.put("IPv6Address", "");
            containers.put(e.getKey(), c);
        }
        Map<String, String> ipam = new LinkedHashMap<>();
        ipam.put("Subnet", n.subnet());
        ipam.put("Gateway", n.gateway());
        if (n.ipRange() != null) {
            ipam.put("IPRange", n.ipRange());
        }
        Map<String, String> options = new LinkedHashMap<>(n.options());
        options.putIfAbsent("com.docker.network.bridge.name", n.bridge());
        return new Network(n.name(), n.id(), n.created(), "local", n.driver(), false,
                new Network.Ipam("default", List.of(ipam), Map.of()), n.internal(), !n.isDefault(), false, false, containers,
                options, n.labels());
    }

    private Network pseudo(String name, String driver) {
        return new Network(name, pseudoId(name), started, "local", driver, false, new Network.Ipam("default", List.of(), Map.of()),
                false, false, false, false, Map.of(), Map.of(), Map.of());
    }

    /** Stable across restarts: derived from the name. */
    static String pseudoId(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("gantry-network:" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
