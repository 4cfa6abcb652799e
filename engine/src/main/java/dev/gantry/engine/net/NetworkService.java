package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.dns.Upstreams;
import dev.gantry.engine.EventBus;
import dev.gantry.network.CniRuntime;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The engine's networks and its containers' places on them, through CNI: the one entry point
 * the engine and the daemon call, over the {@link NetworkCatalogue} (networks),
 * {@link ContainerRecords} (what each container asked for and has), {@link NetworkRequests}
 * (create), {@link ContainerAttachments} (start and stop), {@link NetworkConnections}
 * (connect, disconnect) and {@link NetworkRecovery} (engine start).
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
 *
 * <p>Locking. One monitor, {@code lock}, guards the catalogue, the records and the attachments'
 * port reservations together, so a step that reads one and writes another (a removal's check
 * for endpoints, a start's port choice) sees them consistent. Record files are written under it.
 * A container's /etc/hosts and /etc/resolv.conf are written from networks read under it but
 * outside it ({@link ContainerEtc#write}) once its ADD has run; only {@link #prepare} writes them
 * with the monitor held, because its whole check-and-record runs under it. CNI plugins never run
 * under it.
 */
public final class NetworkService implements AutoCloseable {
    /** How long a reading of the host's FORWARD chain is trusted: back-to-back starts share one. */
    private static final long FORWARD_MAX_AGE_NANOS = 1_000_000_000L;

    private final Object lock = new Object();
    private final NetnsMounts netns;
    private final ReleaseQueue releases = new ReleaseQueue();
    private final NetworkDns dns;
    private final ContainerRecords records;
    private final NetworkCatalogue catalogue;
    private final NetworkAnnouncer announcer;
    private final NetworkRequests requests;
    private final ContainerAttachments attachments;
    private final NetworkConnections connections;
    private final NetworkRecovery recovery;
    private volatile ContainerLookup lookup;

    public NetworkService(Path root, NetworkDefaults defaults, Syscalls sys, EventBus events, Consumer<String> warn) {
        this(root, defaults, new CniRuntime(defaults.pluginDirs(), root.resolve("cni-cache"),
                Duration.ofMillis(defaults.pluginTimeout())), ForwardFilter.caching(ForwardFilter.iptables(warn), FORWARD_MAX_AGE_NANOS, System::nanoTime), sys, events, warn);
    }

    NetworkService(Path root, NetworkDefaults defaults, CniRuntime cni, ForwardFilter forward, Syscalls sys, EventBus events,
                   Consumer<String> warn) {
        this.netns = new NetnsMounts(sys, root.resolve("netns"));
        this.dns = new NetworkDns(() -> Upstreams.fromResolvConf(defaults.resolvConf()),
                key -> dnsNames(key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1)), warn);
        Map<String, NetworkRecord> stored;
        try {
            Files.createDirectories(root.resolve("networks"));
            Files.createDirectories(root.resolve("containers"));
            Files.createDirectories(root.resolve("ipam"));
            stored = NetworkCatalogue.read(root.resolve("networks"));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "network state " + root + ": " + e.getMessage(), e);
        }
        this.records = new ContainerRecords(root.resolve("containers"), lock, warn);
        List<NetworkListener> listeners = List.of(dns);
        this.catalogue = new NetworkCatalogue(root, stored, defaults, lock, records, listeners, releases, events, warn);
        this.announcer = new NetworkAnnouncer(catalogue, records, listeners, warn);
        ContainerEtc etc = new ContainerEtc(catalogue, lock, defaults.resolvConf());
        CniEndpoints endpoints = new CniEndpoints(cni, netns, root.resolve("ipam"), events);
        this.requests = new NetworkRequests(lock, catalogue, records, () -> lookup, etc);
        this.attachments = new ContainerAttachments(lock, records, catalogue, netns, endpoints, forward, releases, announcer, etc, events,
                warn);
        this.connections = new NetworkConnections(() -> lookup, lock, catalogue, records, requests, endpoints, netns, forward, announcer,
                events);
        this.recovery = new NetworkRecovery(() -> lookup, catalogue, records, attachments, endpoints, netns, announcer, warn);
    }

    /** Called once by the engine, which owns the containers. */
    public void bind(ContainerLookup containerLookup) {
        this.lookup = containerLookup;
    }

    // ---------------------------------------------------------------- networks

    /** Creates a bridge network; CONFLICT for a name in use or a subnet overlapping another network or a host route. */
    public NetworkRecord create(NetworkSpec spec) {
        return catalogue.create(spec);
    }

    public List<NetworkRecord> list() {
        return catalogue.list();
    }

    /** By exact name, full id or unique id prefix. */
    public NetworkRecord get(String ref) {
        return catalogue.get(ref);
    }

    /** Removes a user network; CONFLICT while a container has an endpoint on it, PERMISSION_DENIED for the default one. */
    public void remove(String ref) {
        catalogue.remove(ref);
    }

    /** Removes every user network without endpoints that {@code filter} accepts; returns their names. */
    public List<String> prune(Predicate<NetworkRecord> filter) {
        return catalogue.prune(filter);
    }

    /** The running containers attached to the network: container id → endpoint. */
    public Map<String, Endpoint> endpointsOf(String networkId) {
        return records.endpointsOf(networkId);
    }

    // ---------------------------------------------------------------- a container's view

    /** The container's mode as Docker reports {@code HostConfig.NetworkMode}: the network's name for user networks. */
    public String mode(String containerId) {
        synchronized (lock) {
            ContainerNet c = records.get(containerId);
            return c == null ? "none" : catalogue.modeName(c.mode());
        }
    }

    /** The networks the container is on (running) or will be on (created, stopped): name → endpoint, address fields empty when not running. */
    public Map<String, Endpoint> endpoints(String containerId) {
        synchronized (lock) {
            ContainerNet c = records.get(containerId);
            Map<String, Endpoint> out = new LinkedHashMap<>();
            if (c == null) {
                return out;
            }
            for (var e : c.networks().entrySet()) {
                NetworkRecord n = catalogue.byId(e.getKey());
                if (n == null) {
                    continue;
                }
                Endpoint live = c.endpoints().stream().filter(x -> x.networkId().equals(n.id())).findFirst()
                        .orElse(new Endpoint(n.id(), n.name(), "", "", "", 0, "", "", e.getValue().aliases()));
                out.put(n.name(), live);
            }
            return out;
        }
    }

    /** The ports published while the container runs. */
    public List<PortMapping> published(String containerId) {
        ContainerNet c = records.get(containerId);
        return c == null ? List.of() : c.published();
    }

    /** The container's exposed ports and port requests, for inspect while it does not run. */
    public NetworkOptions options(String containerId) {
        ContainerNet c = records.get(containerId);
        return c == null ? NetworkOptions.NONE : c.options();
    }

    /** The names the container answers to on a network's DNS server: its name, short id and aliases there. */
    private List<String> dnsNames(String containerId, String networkId) {
        synchronized (lock) {
            ContainerNet c = records.get(containerId);
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
    }

    /** The network namespace a container joining {@code id} (mode {@code container:}) enters, and the /etc files it shares. */
    public Optional<String> joinedContainer(String id) {
        ContainerNet c = records.get(id);
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
        requests.prepare(id, disposable, hostname, networkMode, options, imageExposed, etcDir);
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
     * pin stays until then because the runtime may still be creating the container in it. A
     * container asking for a static address first waits for the releases queued so far, so that
     * an address whose holder has just stopped is free; one a running container holds is a
     * CONFLICT naming the address, the network and the holder.
     */
    public Attaching attach(String id, Path etcDir) {
        ContainerNet c = records.get(id);
        if (c != null && asksForStaticAddress(c)) {
            // The container that held the address last may have stopped a moment ago: its endpoints
            // are gone at once, but the DEL that frees its host-local lease is still queued
            // ("docker stop a && docker start b"). Once every queued release has run, the address
            // is held only by a container that runs, which the check below names.
            releases.drain();
            requireStaticAddressesFree(id, c);
        }
        return attachments.attach(id, etcDir);
    }

    private static boolean asksForStaticAddress(ContainerNet c) {
        return c.networks().values().stream().anyMatch(r -> r.ipv4Address() != null);
    }

    /**
     * A static address that another running container holds on the same network is a conflict
     * named here, before anything is made; host-local would refuse it as well (and still does for
     * two starts at once), but its error names only its range, not the network or the holder.
     */
    private void requireStaticAddressesFree(String id, ContainerNet c) {
        for (var request : c.networks().entrySet()) {
            String asked = request.getValue().ipv4Address();
            if (asked == null) {
                continue;
            }
            for (var held : records.endpointsOf(request.getKey()).entrySet()) {
                if (!held.getKey().equals(id) && held.getValue().address().equals(asked)) {
                    throw GantryException.conflict("IPAMConfig.IPv4Address: Address already in use: " + asked + " on network "
                            + held.getValue().networkName() + " is held by container " + lookup.name(held.getKey()));
                }
            }
        }
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
        attachments.detach(id);
    }

    /** The container's name changed: the DNS servers of its networks answer the new one. */
    public void renamed(String id) {
        ContainerNet c = records.get(id);
        if (c != null) {
            announcer.changed(c.endpoints());
        }
    }

    /** Forgets a removed container: its attachments are deleted, then its record (in the background, in order). */
    public void forget(String id) {
        detach(id);
        releases.execute(() -> records.remove(id));
    }

    /**
     * After an engine start: every attachment of a container not in {@code running} is deleted
     * (its container died or was removed while no engine watched), stray namespace pins are let
     * go, and the running containers' networks are announced to the listeners again.
     */
    public void collect(Collection<String> running) {
        recovery.collect(running);
    }

    // ---------------------------------------------------------------- connect, disconnect

    /**
     * Connects a container to a network: recorded for its next start when it does not run, added
     * at once (a new interface eth{@code n}) when it does.
     */
    public void connect(String networkRef, String containerRef, NetworkOptions.EndpointRequest request) {
        connections.connect(networkRef, containerRef, request);
    }

    /** Disconnects a container from a network; CNI DEL at once when it runs. */
    public void disconnect(String networkRef, String containerRef) {
        connections.disconnect(networkRef, containerRef);
    }

    /** Stops the DNS servers; attachments stay as they are (running containers keep their networks). */
    @Override
    public void close() {
        releases.close();
        dns.close();
    }
}
