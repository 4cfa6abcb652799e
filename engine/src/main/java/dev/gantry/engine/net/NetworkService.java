package dev.gantry.engine.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.EventBus;
import dev.gantry.engine.internal.AtomicFiles;
import dev.gantry.engine.internal.EngineJson;
import dev.gantry.engine.internal.Ids;
import dev.gantry.engine.internal.RecordFile;
import dev.gantry.network.Attachment;
import dev.gantry.network.CachedAttachment;
import dev.gantry.network.CniRuntime;
import dev.gantry.network.Result;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The engine's networks and its containers' places on them, through CNI.
 *
 * <p>Vocabulary. A <em>network</em> is a bridge device, a subnet and its leases; the default one
 * is named {@code bridge}. A network <em>reference</em> is a name, a full id or a unique id prefix.
 * A container's <em>mode</em> is {@code bridge}, {@code host}, {@code none},
 * {@code container:<id>} or a user network. An <em>endpoint</em> is one attachment of a running
 * container to one network: a veth whose container end is {@code eth<n>}.
 *
 * <p>Lifecycle, as the engine calls it: {@link #prepare} at create (checks every reference and
 * address, writes /etc/hosts and /etc/resolv.conf for modes without an address); {@link #attach}
 * before the runtime's create (a network namespace is made with lo up and pinned by a bind mount,
 * then CNI ADD of each network runs in it while the runtime creates the container, then the /etc
 * files get the addresses); {@link #detach}
 * when it exits or its start failed (CNI DEL of every attachment the CNI cache holds for the
 * container, so it works after a crash as well); {@link #forget} when it is removed;
 * {@link #collect} once the engine knows which containers survived a restart.
 */
public final class NetworkService implements AutoCloseable {
    private static final String DEFAULT_NAME = "bridge";
    /** How long a reading of the host's FORWARD chain is trusted: back-to-back starts share one. */
    private static final long FORWARD_MAX_AGE_NANOS = 1_000_000_000L;

    private final Path root;
    private final NetworkDefaults defaults;
    private final CniRuntime cni;
    private final ForwardFilter forward;
    private final NetnsMounts netns;
    private final EventBus events;
    private final Consumer<String> warn;
    private final Map<String, NetworkRecord> networks = new LinkedHashMap<>();
    private final Map<String, ContainerNet> containers = new HashMap<>();
    /** The generation of each container's record file on disk. */
    private final Map<String, Long> generations = new HashMap<>();
    /** Containers removed when they stop (--rm), whose records are never synced. */
    private final Set<String> disposable = new java.util.HashSet<>();
    private final List<NetworkListener> listeners = new ArrayList<>();
    private final NetworkDns dns;
    private final java.util.concurrent.ExecutorService releaser = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("gantry-net-release").factory());
    private final Map<String, Future<?>> pending = new HashMap<>();
    /** CNI ADDs under way (container id → its attach), running while the runtime creates the container. */
    private final Map<String, Attaching> adding = new HashMap<>();
    /** Ports of containers whose attach is under way, not yet in their record. */
    private final Map<String, List<PortMapping>> reserved = new HashMap<>();
    private volatile ContainerLookup lookup;

    /** Tells another component (the DNS servers) that a network's endpoints changed. */
    interface NetworkListener {
        void changed(NetworkRecord network, Map<String, Endpoint> endpointsByContainer);

        void removed(NetworkRecord network);
    }

    public NetworkService(Path root, NetworkDefaults defaults, Syscalls sys, EventBus events, Consumer<String> warn) {
        this(root, defaults, new CniRuntime(defaults.pluginDirs(), root.resolve("cni-cache"),
                Duration.ofMillis(defaults.pluginTimeout())), ForwardFilter.caching(ForwardFilter.iptables(warn), FORWARD_MAX_AGE_NANOS, System::nanoTime), sys, events, warn);
    }

    NetworkService(Path root, NetworkDefaults defaults, CniRuntime cni, ForwardFilter forward, Syscalls sys, EventBus events,
                   Consumer<String> warn) {
        this.root = root;
        this.defaults = defaults;
        this.cni = cni;
        this.forward = forward;
        this.netns = new NetnsMounts(sys, root.resolve("netns"));
        this.events = events;
        this.warn = warn;
        this.dns = new NetworkDns(() -> dev.gantry.dns.Upstreams.fromResolvConf(defaults.resolvConf()),
                key -> dnsNames(key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1)), warn);
        listeners.add(dns);
        try {
            Files.createDirectories(root.resolve("networks"));
            Files.createDirectories(root.resolve("containers"));
            Files.createDirectories(root.resolve("ipam"));
            try (var s = Files.list(root.resolve("networks"))) {
                for (Path p : s.toList()) {
                    NetworkRecord n = EngineJson.read(Files.readAllBytes(p), NetworkRecord.class, p.toString());
                    networks.put(n.id(), n);
                }
            }
            RecordFile.readAll(root.resolve("containers"), (b, file) -> EngineJson.read(b, ContainerNet.class, file))
                    .forEach((base, found) -> {
                        containers.put(found.value().id(), found.value());
                        generations.put(found.value().id(), found.generation());
                    });
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "network state " + root + ": " + e.getMessage(), e);
        }
        if (networks.values().stream().noneMatch(NetworkRecord::isDefault)) {
            // A bridge device left by an earlier daemon (another root) keeps its subnet, as
            // dockerd reuses docker0's: the bridge plugin refuses to give it a second address.
            String subnet = defaults.bridgeSubnet() != null ? Ipv4.Cidr.parse(defaults.bridgeSubnet(), "default bridge subnet").toString()
                    : Ipv4.connectedRoute(Path.of("/proc/net/route"), defaults.bridgeName()).orElseGet(this::freeSubnet).toString();
            Ipv4.Cidr cidr = Ipv4.Cidr.parse(subnet, "default bridge subnet");
            NetworkRecord n = new NetworkRecord(Ids.random(), DEFAULT_NAME, "bridge", Instant.now().toString(), subnet,
                    Ipv4.text(cidr.firstHost()), null, false, Map.of(), Map.of(NewNetwork.BRIDGE_NAME_OPTION, defaults.bridgeName(),
                    "com.docker.network.bridge.default_bridge", "true"), defaults.bridgeName(), true);
            save(n);
        }
    }

    /** Called once by the engine, which owns the containers. */
    public void bind(ContainerLookup containerLookup) {
        this.lookup = containerLookup;
    }

    // ---------------------------------------------------------------- networks

    /** Creates a bridge network; CONFLICT for a name in use or a subnet overlapping another network or a host route. */
    public synchronized NetworkRecord create(NetworkSpec spec) {
        NetworkRecord n = NewNetwork.of(spec, networks.values(), Ipv4.hostRoutes(Path.of("/proc/net/route")));
        save(n);
        events.publish("network", "create", n.id(), Map.of("name", n.name(), "type", "bridge"));
        return n;
    }

    private Ipv4.Cidr freeSubnet() {
        return NewNetwork.freeSubnet(networks.values(), Ipv4.hostRoutes(Path.of("/proc/net/route")));
    }

    public synchronized List<NetworkRecord> list() {
        return List.copyOf(networks.values());
    }

    /** By exact name, full id or unique id prefix. */
    public synchronized NetworkRecord get(String ref) {
        for (NetworkRecord n : networks.values()) {
            if (n.name().equals(ref) || n.id().equals(ref)) {
                return n;
            }
        }
        List<NetworkRecord> byPrefix = ref.isEmpty() ? List.of() : networks.values().stream().filter(n -> n.id().startsWith(ref)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.getFirst();
        }
        throw GantryException.notFound("network " + ref + " not found");
    }

    /** Removes a user network; CONFLICT while a container has an endpoint on it, PERMISSION_DENIED for the default one. */
    public void remove(String ref) {
        NetworkRecord n;
        synchronized (this) {
            n = get(ref);
            if (n.isDefault()) {
                throw new GantryException(ErrorKind.PERMISSION_DENIED, n.name() + " is a pre-defined network and cannot be removed");
            }
            List<String> users = containers.values().stream()
                    .filter(c -> c.endpoints().stream().anyMatch(e -> e.networkId().equals(n.id()))).map(ContainerNet::id).toList();
            if (!users.isEmpty()) {
                throw GantryException.conflict("error while removing network: network " + n.name() + " id " + n.id()
                        + " has active endpoints (" + users.size() + " container(s))");
            }
            networks.remove(n.id());
            try {
                Files.deleteIfExists(root.resolve("networks").resolve(n.id() + ".json"));
            } catch (IOException e) {
                throw new GantryException(ErrorKind.UNAVAILABLE, "removing network " + n.name() + ": " + e.getMessage(), e);
            }
        }
        List<NetworkListener> ls;
        synchronized (this) {
            ls = List.copyOf(listeners);
        }
        ls.forEach(l -> l.removed(n));
        // The last containers' DELs still queued must find the bridge and lease directory.
        try {
            releaser.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new GantryException(ErrorKind.INTERNAL, "waiting for network releases: " + e.getMessage());
        }
        deleteBridge(n);
        events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", "bridge"));
    }

    /**
     * The bridge plugin creates the bridge on the first ADD and never deletes it (CNI has no verb
     * for a network's end), so removal deletes the device and the network's lease directory.
     */
    private void deleteBridge(NetworkRecord n) {
        try {
            Process p = new ProcessBuilder("ip", "link", "delete", n.bridge(), "type", "bridge").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0 && !out.contains("Cannot find device")) {
                warn.accept("deleting bridge " + n.bridge() + " of network " + n.name() + ": " + out);
            }
        } catch (IOException e) {
            warn.accept("deleting bridge " + n.bridge() + " of network " + n.name() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dev.gantry.base.FileTrees.delete(root.resolve("ipam").resolve(Conflists.cniName(n)));
    }

    /** Removes every user network without endpoints that {@code filter} accepts; returns their names. */
    public List<String> prune(Predicate<NetworkRecord> filter) {
        List<String> removed = new ArrayList<>();
        for (NetworkRecord n : list()) {
            if (n.isDefault() || !filter.test(n)) {
                continue;
            }
            try {
                remove(n.id());
                removed.add(n.name());
            } catch (GantryException e) {
                if (e.kind() != ErrorKind.CONFLICT && e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return removed;
    }

    /** The running containers attached to the network: container id → endpoint. */
    public synchronized Map<String, Endpoint> endpointsOf(String networkId) {
        Map<String, Endpoint> out = new LinkedHashMap<>();
        for (ContainerNet c : containers.values()) {
            c.endpoints().stream().filter(e -> e.networkId().equals(networkId)).findFirst().ifPresent(e -> out.put(c.id(), e));
        }
        return out;
    }

    // ---------------------------------------------------------------- a container's view

    /** The container's mode as Docker reports {@code HostConfig.NetworkMode}: the network's name for user networks. */
    public synchronized String mode(String containerId) {
        ContainerNet c = containers.get(containerId);
        if (c == null) {
            return "none";
        }
        NetworkRecord n = networks.get(c.mode());
        return n == null ? c.mode() : n.isDefault() ? DEFAULT_NAME : n.name();
    }

    /** The networks the container is on (running) or will be on (created, stopped): name → endpoint, address fields empty when not running. */
    public synchronized Map<String, Endpoint> endpoints(String containerId) {
        ContainerNet c = containers.get(containerId);
        Map<String, Endpoint> out = new LinkedHashMap<>();
        if (c == null) {
            return out;
        }
        for (var e : c.networks().entrySet()) {
            NetworkRecord n = networks.get(e.getKey());
            if (n == null) {
                continue;
            }
            Endpoint live = c.endpoints().stream().filter(x -> x.networkId().equals(n.id())).findFirst()
                    .orElse(new Endpoint(n.id(), n.name(), "", "", "", 0, "", "", e.getValue().aliases()));
            out.put(n.name(), live);
        }
        return out;
    }

    /** The ports published while the container runs. */
    public synchronized List<PortMapping> published(String containerId) {
        ContainerNet c = containers.get(containerId);
        return c == null ? List.of() : c.published();
    }

    /** The container's exposed ports and port requests, for inspect while it does not run. */
    public synchronized NetworkOptions options(String containerId) {
        ContainerNet c = containers.get(containerId);
        return c == null ? NetworkOptions.NONE : c.options();
    }

    /** The names the container answers to on a network's DNS server: its name, short id and aliases there. */
    synchronized List<String> dnsNames(String containerId, String networkId) {
        ContainerNet c = containers.get(containerId);
        List<String> names = new ArrayList<>();
        if (c == null || lookup == null) {
            return names;
        }
        names.add(lookup.name(containerId));
        names.add(containerId.substring(0, 12));
        var req = c.networks().get(networkId);
        if (req != null) {
            names.addAll(req.aliases());
        }
        return names;
    }

    // ---------------------------------------------------------------- container lifecycle

    /**
     * Checks a new container's networking and records it: the mode's network, every endpoint's
     * network and static address, the joined container; writes /etc/hosts and /etc/resolv.conf
     * for modes where no address will come.
     *
     * @param disposable   the container is removed when it stops ({@code --rm}): its network
     *                     record need not survive a power loss, so it is never synced
     * @param imageExposed the image's exposed ports ({@code 80/tcp})
     * @param etcDir       the container's directory of generated /etc files
     */
    public void prepare(String id, boolean disposable, String hostname, String networkMode, NetworkOptions options,
                        Set<String> imageExposed, Path etcDir) {
        String mode;
        Map<String, NetworkOptions.EndpointRequest> nets = new LinkedHashMap<>();
        synchronized (this) {
            switch (networkMode) {
                case "host", "none" -> mode = networkMode;
                default -> {
                    if (networkMode.startsWith("container:")) {
                        String target = createRef(() -> lookup.resolve(networkMode.substring("container:".length())),
                                "HostConfig.NetworkMode");
                        if (target.equals(id)) {
                            throw GantryException.invalid("HostConfig.NetworkMode: a container cannot join its own network namespace");
                        }
                        mode = "container:" + target;
                    } else {
                        NetworkRecord primary = createRef(() -> get(networkName(networkMode)), "HostConfig.NetworkMode");
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
                NetworkRecord n = createRef(() -> get(networkName(e.getKey())), "NetworkingConfig.EndpointsConfig");
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
            Set<String> exposed = new java.util.TreeSet<>(options.exposedPorts());
            exposed.addAll(imageExposed);
            options.ports().forEach(p -> exposed.add(p.key()));
            NetworkOptions stored = new NetworkOptions(options.endpoints(), options.ports(), options.publishAll(), exposed,
                    options.dns(), options.dnsSearch(), options.dnsOptions(), options.extraHosts());
            options.extraHosts().forEach(EtcFiles.ExtraHost::parse);
            ContainerNet c = new ContainerNet(id, hostname, mode, nets, stored, List.of(), List.of());
            if (disposable) {
                this.disposable.add(id);
            }
            put(c);
            writeEtc(c, etcDir, List.of());
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

    private NetworkOptions.EndpointRequest checkEndpoint(NetworkRecord n, NetworkOptions.EndpointRequest r) {
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

    /**
     * A reference in a create request: unknown is INVALID_ARGUMENT there, since Docker clients
     * take a 404 from create to mean a missing image and go pull it.
     */
    private static <T> T createRef(java.util.function.Supplier<T> find, String field) {
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
        return ref.equals("default") ? DEFAULT_NAME : ref;
    }

    private NetworkRecord defaultNetwork() {
        return networks.values().stream().filter(NetworkRecord::isDefault).findFirst().orElseThrow();
    }

    /** The network namespace a container joining {@code id} (mode {@code container:}) enters, and the /etc files it shares. */
    public synchronized Optional<String> joinedContainer(String id) {
        ContainerNet c = containers.get(id);
        return c != null && c.joinsAnother() ? Optional.of(c.joinedId()) : Optional.empty();
    }

    /** The namespace file of a container's network while it runs (Docker's {@code SandboxKey}). */
    public String sandboxKey(String id) {
        return netns.path(id).toString();
    }

    /** The pinned namespace file of a running container with its own network namespace. */
    public Path netnsPath(String id) {
        if (!netns.isBound(id)) {
            throw GantryException.conflict("cannot join the network namespace of container " + id + ": it is not running");
        }
        return netns.path(id);
    }

    /**
     * Begins putting a container on its networks, before its runtime creates it: its published
     * ports are resolved (a conflict fails here, before anything is made), a network namespace
     * with {@code lo} up is made and pinned, and CNI ADD of each network starts in it on a thread
     * of its own while the runtime creates the container in that namespace. The caller gives the
     * runtime {@link Attaching#netns} and calls {@link Attaching#await} before the runtime starts
     * the container. If ADD fails, {@code await} throws the error naming the network, plugin or
     * port; a plugin that failed has rolled itself back, and the caller then {@link #detach}es the
     * container as after any failed start (DEL of the networks added before, the pin let go). The
     * pin stays until then because the runtime may still be creating the container in it.
     */
    public Attaching attach(String id, Path etcDir) {
        ContainerNet c;
        synchronized (this) {
            c = containers.get(id);
        }
        if (c == null || c.mode().equals("host") || c.mode().equals("none") || c.joinsAnother()) {
            return Attaching.NOTHING;
        }
        // The previous run's DEL lets go of the same pin file.
        awaitRelease(id);
        List<PortMapping> ports;
        synchronized (this) {
            requireStaticAddressesFree(id, c);
            // Before any plugin runs, and reserved at once: two starts must not both take a port.
            ports = PortAllocator.resolve(c.options().ports(), c.options().publishAll(), c.options().exposedPorts(),
                    publishedByOthers(id));
            reserved.put(id, ports);
        }
        Path ns;
        try {
            ns = netns.create(id);
        } catch (RuntimeException e) {
            unreserve(id);
            try {
                netns.release(id);
            } catch (RuntimeException r) {
                e.addSuppressed(r);
            }
            throw e;
        }
        CompletableFuture<Void> added = new CompletableFuture<>();
        Attaching attaching = new Attaching(ns, added);
        synchronized (adding) {
            adding.put(id, attaching);
        }
        Thread.ofPlatform().daemon().name("gantry-net-add-" + id.substring(0, Math.min(12, id.length()))).start(() -> {
            Throwable failure = null;
            try {
                addAll(id, c, ns, ports, etcDir);
            } catch (Throwable e) {
                failure = e;
            }
            synchronized (adding) {
                adding.remove(id, attaching);
            }
            if (failure == null) {
                added.complete(null);
            } else {
                added.completeExceptionally(failure);
            }
        });
        return attaching;
    }

    /** CNI ADD of every network of the container in {@code ns}. */
    private void addAll(String id, ContainerNet c, Path ns, List<PortMapping> ports, Path etcDir) {
        try {
            List<Endpoint> endpoints = new ArrayList<>();
            boolean filtered = forward.mayDrop();
            int index = 0;
            for (var e : c.networks().entrySet()) {
                NetworkRecord n = network(e.getKey());
                endpoints.add(addEndpoint(id, ns, n, "eth" + index, e.getValue(), index == 0 ? ports : List.of(), filtered));
                index++;
            }
            ContainerNet live = c.withLive(endpoints, ports);
            synchronized (this) {
                put(live);
                reserved.remove(id);
            }
            writeEtc(live, etcDir, endpoints);
            notifyChanged(endpoints);
        } catch (RuntimeException e) {
            unreserve(id);
            throw e;
        }
    }

    private synchronized void unreserve(String id) {
        reserved.remove(id);
    }

    private synchronized NetworkRecord network(String id) {
        NetworkRecord n = networks.get(id);
        if (n == null) {
            throw GantryException.notFound("network " + id + " not found: it was removed after the container was created");
        }
        return n;
    }

    /**
     * A static address that another running container holds on the same network is a conflict
     * named here, before anything is made; host-local would refuse it as well, but its error
     * names only its range, not the network or the holder.
     */
    private synchronized void requireStaticAddressesFree(String id, ContainerNet c) {
        for (var e : c.networks().entrySet()) {
            String asked = e.getValue().ipv4Address();
            for (ContainerNet other : containers.values()) {
                if (asked == null || other.id().equals(id)) {
                    continue;
                }
                for (Endpoint held : other.endpoints()) {
                    if (held.networkId().equals(e.getKey()) && held.address().equals(asked)) {
                        throw GantryException.conflict("IPAMConfig.IPv4Address: Address already in use: " + asked + " on network "
                                + held.networkName() + " is held by container " + lookup.name(other.id()));
                    }
                }
            }
        }
    }

    private synchronized List<PortMapping> publishedByOthers(String id) {
        List<PortMapping> out = new ArrayList<>();
        containers.values().stream().filter(c -> !c.id().equals(id)).forEach(c -> out.addAll(c.published()));
        reserved.forEach((other, ports) -> {
            if (!other.equals(id)) {
                out.addAll(ports);
            }
        });
        return out;
    }

    private Endpoint addEndpoint(String id, Path ns, NetworkRecord n, String ifName, NetworkOptions.EndpointRequest req,
                                 List<PortMapping> ports, boolean forwardFiltered) {
        Map<String, String> args = new LinkedHashMap<>();
        // Plugins refuse CNI_ARGS keys they do not know unless IgnoreUnknown is set (CNI conventions).
        args.put("IgnoreUnknown", "1");
        if (req.ipv4Address() != null) {
            args.put("IP", req.ipv4Address());
        }
        Map<String, JsonNode> capabilities = new LinkedHashMap<>();
        if (!ports.isEmpty()) {
            ArrayNode mappings = JsonNodeFactory.instance.arrayNode();
            for (PortMapping p : ports) {
                var m = mappings.addObject().put("hostPort", p.hostPort()).put("containerPort", p.containerPort())
                        .put("protocol", p.protocol());
                if (!p.hostIp().isEmpty()) {
                    m.put("hostIP", p.hostIp());
                }
            }
            capabilities.put("portMappings", mappings);
        }
        Result r = cni.add(Conflists.bridge(n, root.resolve("ipam"), !ports.isEmpty(), forwardFiltered), new Attachment(id, ns.toString(), ifName, args, capabilities));
        String address = "";
        int prefix = 0;
        String mac = "";
        for (Result.IpConfig ip : r.ips()) {
            Integer idx = ip.interfaceIndex();
            if (idx != null && idx < r.interfaces().size() && r.interfaces().get(idx).sandbox() == null) {
                continue;
            }
            String[] parts = ip.address().split("/");
            if (!Ipv4.isAddress(parts[0])) {
                continue;
            }
            address = parts[0];
            prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
            if (idx != null && idx < r.interfaces().size()) {
                mac = r.interfaces().get(idx).mac();
            }
            break;
        }
        events.publish("network", "connect", n.id(), Map.of("name", n.name(), "type", "bridge", "container", id));
        return new Endpoint(n.id(), n.name(), Ids.random(), ifName, address, prefix, n.gateway(), mac == null ? "" : mac,
                req.aliases());
    }

    /**
     * Takes the container off its networks: it has no endpoints from now on (names, ports and
     * inspect say so at once), and CNI DEL of every attachment the CNI cache holds for it runs in
     * the background, in order, on one thread. DEL uses the cached configuration and result,
     * whatever the networks have become since; the namespace is let go once every DEL succeeded.
     * Off the caller's path because it is a dozen plugin and iptables runs that nothing waits for
     * (a container's exit, {@code docker run --rm}); a later start of the same container waits for it.
     */
    public void detach(String id) {
        Attaching underway;
        synchronized (adding) {
            underway = adding.get(id);
        }
        if (underway != null) {
            // A start that failed while ADD ran (the runtime's create): DEL must come after it.
            underway.settle();
        }
        // The record on disk follows in the background: a daemon killed before it is written finds
        // the endpoints of a container that no longer runs, and collect forgets them then.
        boolean changed = forgetEndpoints(id, false);
        synchronized (pending) {
            pending.values().removeIf(Future::isDone);
            // One thread runs them in order: waiting for the latest waits for every earlier one.
            pending.put(id, releaser.submit(() -> {
                try {
                    if (changed) {
                        persist(id);
                    }
                    release(id);
                } catch (RuntimeException e) {
                    warn.accept("releasing the network of container " + id + " (the next engine start retries): " + e.getMessage());
                }
            }));
        }
    }

    /** Waits until the background DEL of the container (if any) has run. */
    private void awaitRelease(String id) {
        Future<?> f;
        synchronized (pending) {
            f = pending.get(id);
        }
        if (f != null) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GantryException(ErrorKind.INTERNAL, "interrupted while releasing the network of container " + id);
            } catch (java.util.concurrent.ExecutionException e) {
                // reported by the task itself
            }
        }
    }

    /** Forgets the container's endpoints and ports in memory, and on disk when {@code write}; false when it had none. */
    private boolean forgetEndpoints(String id, boolean write) {
        ContainerNet c;
        boolean changed;
        synchronized (this) {
            c = containers.get(id);
            changed = c != null && (!c.endpoints().isEmpty() || !c.published().isEmpty());
            if (changed) {
                if (write) {
                    put(c.withLive(List.of(), List.of()));
                } else {
                    containers.put(id, c.withLive(List.of(), List.of()));
                }
            }
        }
        if (c != null) {
            for (Endpoint e : c.endpoints()) {
                events.publish("network", "disconnect", e.networkId(), Map.of("name", e.networkName(), "type", "bridge", "container", id));
            }
            notifyChanged(c.endpoints());
        }
        return changed;
    }

    /** CNI DEL of every cached attachment of the container, then the namespace pin goes. */
    private void release(String id) {
        List<GantryException> errors = new ArrayList<>();
        List<CachedAttachment> mine = cni.cachedAttachments().stream().filter(a -> a.attachment().containerId().equals(id)).toList();
        boolean pinned = netns.isBound(id);
        for (CachedAttachment a : mine) {
            try {
                delete(a, pinned);
            } catch (GantryException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) {
            GantryException first = errors.getFirst();
            errors.subList(1, errors.size()).forEach(first::addSuppressed);
            throw first;
        }
        netns.release(id);
    }

    private void delete(CachedAttachment a, boolean pinned) {
        Attachment att = a.attachment();
        if (!pinned) {
            // The namespace is gone (the host rebooted, or the pin was never made): DEL without
            // one still releases the lease and the port mappings (SPEC.md: CNI_NETNS may be empty on DEL).
            att = new Attachment(att.containerId(), "", att.ifName(), att.args(), att.capabilityArgs());
        }
        cni.del(a.config(), att);
    }

    /** The container's name changed: the DNS servers of its networks answer the new one. */
    public void renamed(String id) {
        ContainerNet c;
        synchronized (this) {
            c = containers.get(id);
        }
        if (c != null) {
            notifyChanged(c.endpoints());
        }
    }

    /** Forgets a removed container: its attachments are deleted, then its record (in the background, in order). */
    public void forget(String id) {
        detach(id);
        releaser.execute(() -> {
            synchronized (this) {
                containers.remove(id);
                try {
                    deleteRecord(id);
                } catch (GantryException e) {
                    warn.accept("removing the network record of " + id + ": " + e.getMessage());
                }
            }
        });
    }

    /**
     * After an engine start: every attachment of a container not in {@code running} is deleted
     * (its container died or was removed while no engine watched), stray namespace pins are let
     * go, and the running containers' networks are announced to the listeners again.
     */
    public void collect(Collection<String> running) {
        Set<String> live = Set.copyOf(running);
        repin(live);
        Set<String> stale = new java.util.TreeSet<>();
        cni.cachedAttachments().stream().map(a -> a.attachment().containerId()).filter(cid -> !live.contains(cid)).forEach(stale::add);
        netns.ids().stream().filter(cid -> !live.contains(cid)).forEach(stale::add);
        synchronized (this) {
            containers.values().stream().filter(c -> !live.contains(c.id()) && !c.endpoints().isEmpty()).forEach(c -> stale.add(c.id()));
        }
        for (String cid : stale) {
            try {
                forgetEndpoints(cid, true);
                release(cid);
            } catch (GantryException e) {
                warn.accept("releasing the network of container " + cid + ": " + e.getMessage());
            }
        }
        synchronized (this) {
            containers.keySet().removeIf(cid -> {
                if (lookupKnows(cid)) {
                    return false;
                }
                try {
                    deleteRecord(cid);
                } catch (GantryException e) {
                    warn.accept("removing the network record of " + cid + ": " + e.getMessage());
                }
                return true;
            });
        }
        for (NetworkRecord n : list()) {
            notifyNetwork(n);
        }
    }

    /**
     * A running container whose namespace pin is gone (the previous engine ran in a mount
     * namespace of its own, which died with it) is pinned again from its init, so that its DEL
     * still finds the interface and removes the masquerade rules with it.
     */
    private void repin(Set<String> live) {
        Set<String> attached = new java.util.TreeSet<>();
        cni.cachedAttachments().stream().map(a -> a.attachment().containerId()).filter(live::contains).forEach(attached::add);
        for (String cid : attached) {
            if (netns.isBound(cid)) {
                continue;
            }
            var pid = lookup.runningPid(cid);
            if (pid.isPresent()) {
                try {
                    netns.bind(cid, pid.getAsInt());
                } catch (RuntimeException e) {
                    warn.accept("pinning the network namespace of container " + cid + " again: " + e.getMessage());
                }
            }
        }
    }

    private boolean lookupKnows(String id) {
        try {
            lookup.resolve(id);
            return true;
        } catch (GantryException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- connect, disconnect

    /**
     * Connects a container to a network: recorded for its next start when it does not run, added
     * at once (a new interface eth{@code n}) when it does.
     */
    public void connect(String networkRef, String containerRef, NetworkOptions.EndpointRequest request) {
        String id = lookup.resolve(containerRef);
        synchronized (lookup.lock(id)) {
            NetworkRecord n;
            ContainerNet c;
            synchronized (this) {
                n = get(networkRef);
                c = containers.get(id);
                if (c == null || c.mode().equals("host") || c.mode().equals("none") || c.joinsAnother()) {
                    throw GantryException.invalid("container " + id + " cannot be connected to network " + n.name()
                            + ": its network mode is " + (c == null ? "none" : mode(id)));
                }
                if (c.networks().containsKey(n.id())) {
                    throw new GantryException(ErrorKind.CONFLICT, "endpoint with name " + lookup.name(id) + " already exists in network " + n.name());
                }
                checkEndpoint(n, request);
            }
            Map<String, NetworkOptions.EndpointRequest> nets = new LinkedHashMap<>(c.networks());
            nets.put(n.id(), request);
            var pid = lookup.runningPid(id);
            if (pid.isPresent() && netns.isBound(id)) {
                int index = nextIndex(c);
                Endpoint e = addEndpoint(id, netns.path(id), n, "eth" + index, request, List.of(), forward.mayDrop());
                List<Endpoint> endpoints = new ArrayList<>(c.endpoints());
                endpoints.add(e);
                synchronized (this) {
                    put(c.withNetworks(nets).withLive(endpoints, c.published()));
                }
                notifyChanged(List.of(e));
            } else {
                synchronized (this) {
                    put(c.withNetworks(nets));
                }
                events.publish("network", "connect", n.id(), Map.of("name", n.name(), "type", "bridge", "container", id));
            }
        }
    }

    private static int nextIndex(ContainerNet c) {
        int i = 0;
        while (true) {
            String name = "eth" + i;
            if (c.endpoints().stream().noneMatch(e -> e.ifName().equals(name))) {
                return i;
            }
            i++;
        }
    }

    /** Disconnects a container from a network; CNI DEL at once when it runs. */
    public void disconnect(String networkRef, String containerRef) {
        String id = lookup.resolve(containerRef);
        synchronized (lookup.lock(id)) {
            NetworkRecord n;
            ContainerNet c;
            synchronized (this) {
                n = get(networkRef);
                c = containers.get(id);
                if (c == null || !c.networks().containsKey(n.id())) {
                    throw GantryException.invalid("container " + id + " is not connected to network " + n.name());
                }
            }
            Optional<Endpoint> live = c.endpoints().stream().filter(e -> e.networkId().equals(n.id())).findFirst();
            if (live.isPresent()) {
                Optional<CachedAttachment> cached = cni.cached(Conflists.cniName(n), new dev.gantry.network.AttachmentId(id, live.get().ifName()));
                if (cached.isPresent()) {
                    delete(cached.get(), netns.isBound(id));
                }
            }
            Map<String, NetworkOptions.EndpointRequest> nets = new LinkedHashMap<>(c.networks());
            nets.remove(n.id());
            List<Endpoint> endpoints = c.endpoints().stream().filter(e -> !e.networkId().equals(n.id())).toList();
            synchronized (this) {
                // The mode stays: a container disconnected from every network keeps its NetworkMode, as in Docker.
                put(new ContainerNet(c.id(), c.hostname(), c.mode(), nets, c.options(), endpoints,
                        live.isPresent() && live.get().ifName().equals("eth0") ? List.of() : c.published()));
            }
            events.publish("network", "disconnect", n.id(), Map.of("name", n.name(), "type", "bridge", "container", id));
            live.ifPresent(e -> notifyChanged(List.of(e)));
        }
    }

    /** Stops the DNS servers; attachments stay as they are (running containers keep their networks). */
    @Override
    public void close() {
        releaser.shutdown();
        try {
            // A DEL cut short stays in the cache, and the next engine's collect finishes it.
            releaser.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dns.close();
    }

    // ---------------------------------------------------------------- /etc files, persistence

    private void writeEtc(ContainerNet c, Path etcDir, List<Endpoint> endpoints) {
        NetworkRecord primary;
        NetworkRecord fallback;
        synchronized (this) {
            primary = networks.get(c.mode());
            fallback = defaultNetwork();
        }
        EtcFiles.writeFor(c, primary, fallback.gateway(), defaults.resolvConf(), etcDir, endpoints);
    }

    private void save(NetworkRecord n) {
        AtomicFiles.write(root.resolve("networks").resolve(n.id() + ".json"), EngineJson.write(n));
        networks.put(n.id(), n);
    }

    /**
     * Writes the container's record as the next {@link RecordFile} generation: synced unless the
     * container is disposable (a rename over the old file, or fsync, costs ~1 ms each on ext4
     * mounted with discard, on every start).
     */
    private synchronized void put(ContainerNet c) {
        generations.put(c.id(), RecordFile.write(root.resolve("containers"), c.id(), generations.getOrDefault(c.id(), -1L),
                EngineJson.write(c), !disposable.contains(c.id())));
        containers.put(c.id(), c);
    }

    /** Deletes the container's record file (whatever generation it is at). */
    private synchronized void deleteRecord(String id) {
        Long generation = generations.remove(id);
        disposable.remove(id);
        if (generation != null) {
            RecordFile.delete(root.resolve("containers"), id, generation);
        }
    }

    /** Writes the container's record as it is in memory (a removed container's is not written again). */
    private synchronized void persist(String id) {
        ContainerNet c = containers.get(id);
        if (c != null) {
            put(c);
        }
    }

    private void notifyChanged(List<Endpoint> endpoints) {
        endpoints.stream().map(Endpoint::networkId).distinct().forEach(nid -> {
            NetworkRecord n;
            synchronized (this) {
                n = networks.get(nid);
            }
            if (n != null) {
                notifyNetwork(n);
            }
        });
    }

    private void notifyNetwork(NetworkRecord n) {
        Map<String, Endpoint> endpoints = endpointsOf(n.id());
        List<NetworkListener> ls;
        synchronized (this) {
            ls = List.copyOf(listeners);
        }
        for (NetworkListener l : ls) {
            try {
                l.changed(n, endpoints);
            } catch (RuntimeException e) {
                warn.accept("network " + n.name() + ": " + e.getMessage());
            }
        }
    }
}
