package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What a container asks of networking, checked and recorded when it is created, and the checks
 * a later {@code network connect} shares.
 *
 * <p>Vocabulary. The <em>mode</em> is {@code HostConfig.NetworkMode} as given ({@code bridge},
 * {@code host}, {@code none}, {@code container:<ref>}, a network reference) and as stored
 * ({@code container:<id>}, a network's id). An <em>endpoint request</em> is what the container
 * asks of one network: a static address and aliases. A reference a create request names that
 * does not exist is INVALID_ARGUMENT, not NOT_FOUND (Docker clients take a 404 from create to
 * mean a missing image and go pull it).
 */
final class NetworkRequests {
    private final Object lock;
    private final NetworkCatalogue catalogue;
    private final ContainerRecords records;
    private final Supplier<ContainerLookup> lookup;
    private final ContainerEtc etc;

    /** @param lock the monitor of the catalogue and the records, held while a request is checked and recorded */
    NetworkRequests(Object lock, NetworkCatalogue catalogue, ContainerRecords records, Supplier<ContainerLookup> lookup, ContainerEtc etc) {
        this.lock = lock;
        this.catalogue = catalogue;
        this.records = records;
        this.lookup = lookup;
        this.etc = etc;
    }

    /** As {@link NetworkService#prepare}. */
    void prepare(String id, boolean disposable, String hostname, String networkMode, NetworkOptions options, Set<String> imageExposed,
                 Path etcDir) {
        String mode;
        Map<String, NetworkOptions.EndpointRequest> nets = new LinkedHashMap<>();
        synchronized (lock) {
            switch (networkMode) {
                case "host", "none" -> mode = networkMode;
                default -> {
                    if (networkMode.startsWith("container:")) {
                        String target = createRef(() -> lookup.get().resolve(networkMode.substring("container:".length())),
                                "HostConfig.NetworkMode");
                        if (target.equals(id)) {
                            throw GantryException.invalid("HostConfig.NetworkMode: a container cannot join its own network namespace");
                        }
                        mode = "container:" + target;
                    } else {
                        NetworkRecord primary = createRef(() -> catalogue.get(networkName(networkMode)), "HostConfig.NetworkMode");
                        mode = primary.id();
                        nets.put(primary.id(), endpointRequest(primary, options.endpoints(), networkMode));
                    }
                }
            }
            boolean attached = !nets.isEmpty();
            for (var e : options.endpoints().entrySet()) {
                if (!attached && (e.getKey().equals(networkMode) || e.getKey().equals("host") || e.getKey().equals("none"))) {
                    // The docker CLI names the mode itself in EndpointsConfig ("none", "host", "container:x").
                    continue;
                }
                NetworkRecord n = createRef(() -> catalogue.get(networkName(e.getKey())), "NetworkingConfig.EndpointsConfig");
                if (!attached) {
                    throw GantryException.invalid("NetworkingConfig: container cannot be connected to network " + e.getKey()
                            + " in network mode " + networkMode);
                }
                if (!nets.containsKey(n.id())) {
                    nets.put(n.id(), checkEndpoint(n, e.getValue()));
                }
            }
            if (!attached && (!options.ports().isEmpty() || options.publishAll() && !options.exposedPorts().isEmpty())
                    && !networkMode.equals("host")) {
                throw GantryException.invalid("HostConfig.PortBindings: ports cannot be published in network mode " + networkMode);
            }
            Set<String> exposed = new TreeSet<>(options.exposedPorts());
            exposed.addAll(imageExposed);
            options.ports().forEach(p -> exposed.add(p.key()));
            NetworkOptions stored = new NetworkOptions(options.endpoints(), options.ports(), options.publishAll(), exposed,
                    options.dns(), options.dnsSearch(), options.dnsOptions(), options.extraHosts());
            options.extraHosts().forEach(EtcFiles.ExtraHost::parse);
            ContainerNet c = new ContainerNet(id, hostname, mode, nets, stored, List.of(), List.of());
            records.create(c, disposable);
            etc.write(c, etcDir, List.of());
        }
    }

    private NetworkOptions.EndpointRequest endpointRequest(NetworkRecord n, Map<String, NetworkOptions.EndpointRequest> endpoints,
                                                         String modeRef) {
        for (var e : endpoints.entrySet()) {
            String key = networkName(e.getKey());
            if (key.equals(modeRef) || key.equals(n.name()) || key.equals(n.id())) {
                return checkEndpoint(n, e.getValue());
            }
        }
        return NetworkOptions.EndpointRequest.DEFAULT;
    }

    /** Returns {@code r} when the network can grant it: a static address in its subnet, not its gateway, and aliases only on a user network. */
    NetworkOptions.EndpointRequest checkEndpoint(NetworkRecord n, NetworkOptions.EndpointRequest r) {
        if (r.ipv4Address() != null) {
            if (n.isDefault()) {
                throw GantryException.invalid("IPAMConfig.IPv4Address: user specified IP address is supported only on user defined networks");
            }
            Ipv4.Cidr subnet = Ipv4.Cidr.parse(n.subnet(), "Subnet");
            Ipv4.requireHost(subnet, r.ipv4Address(), "IPAMConfig.IPv4Address");
            if (r.ipv4Address().equals(n.gateway())) {
                throw GantryException.conflict("IPAMConfig.IPv4Address: " + r.ipv4Address() + " is the gateway of network " + n.name());
            }
        }
        if (n.isDefault() && !r.aliases().isEmpty()) {
            throw GantryException.invalid("Aliases: network-scoped aliases are supported only on user defined networks");
        }
        return r;
    }

    /** A reference in a create request: unknown is INVALID_ARGUMENT there (see the class comment). */
    private static <T> T createRef(Supplier<T> find, String field) {
        try {
            return find.get();
        } catch (GantryException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw GantryException.invalid(field + ": " + e.getMessage());
            }
            throw e;
        }
    }

    /** The docker CLI names the default network "default" in EndpointsConfig. */
    private static String networkName(String ref) {
        return ref.equals("default") ? NetworkCatalogue.DEFAULT_NAME : ref;
    }
}
