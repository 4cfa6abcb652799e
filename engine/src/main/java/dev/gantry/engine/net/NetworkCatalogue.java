package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.FileTrees;
import dev.gantry.base.GantryException;
import dev.gantry.engine.EventBus;
import dev.gantry.engine.internal.AtomicFiles;
import dev.gantry.engine.internal.EngineJson;
import dev.gantry.engine.internal.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The engine's networks: their definitions, stored as {@code networks/<id>.json} under the
 * network root, the subnet each gets, and their removal with what CNI leaves of them.
 *
 * <p>Vocabulary. A <em>network</em> is a bridge device, a subnet and its leases
 * ({@code ipam/<cni name>/}). The <em>default</em> network is named {@code bridge}; the others
 * are <em>user</em> networks. A network <em>reference</em> is a name, a full id or a unique id
 * prefix. Every method holds {@code lock}, the monitor shared with the container records, so a
 * caller holding it too reads networks and records as one step.
 */
final class NetworkCatalogue {
    /** The default network's name, as Docker's. */
    static final String DEFAULT_NAME = "bridge";

    private final Path root;
    private final Object lock;
    private final ContainerRecords records;
    private final List<NetworkListener> listeners;
    private final ReleaseQueue releases;
    private final EventBus events;
    private final Consumer<String> warn;
    private final Map<String, NetworkRecord> networks = new LinkedHashMap<>();

    /** The networks stored under {@code dir}, by id. */
    static Map<String, NetworkRecord> read(Path dir) throws IOException {
        Map<String, NetworkRecord> out = new LinkedHashMap<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                NetworkRecord n = EngineJson.read(Files.readAllBytes(p), NetworkRecord.class, p.toString());
                out.put(n.id(), n);
            }
        }
        return out;
    }

    /**
     * @param root     the network root: {@code networks/} and {@code ipam/} are under it
     * @param stored   the networks {@link #read} from {@code networks/}; the default one is made when missing
     * @param records  whose endpoints and joins keep a network from being removed
     * @param releases the queued DELs a removal waits for
     */
    NetworkCatalogue(Path root, Map<String, NetworkRecord> stored, NetworkDefaults defaults, Object lock, ContainerRecords records,
                     List<NetworkListener> listeners, ReleaseQueue releases, EventBus events, Consumer<String> warn) {
        this.root = root;
        this.lock = lock;
        this.records = records;
        this.listeners = List.copyOf(listeners);
        this.releases = releases;
        this.events = events;
        this.warn = warn;
        networks.putAll(stored);
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

    private Ipv4.Cidr freeSubnet() {
        return NewNetwork.freeSubnet(networks.values(), Ipv4.hostRoutes(Path.of("/proc/net/route")));
    }

    /** Creates a bridge network; CONFLICT for a name in use or a subnet overlapping another network or a host route. */
    NetworkRecord create(NetworkSpec spec) {
        synchronized (lock) {
            NetworkRecord n = NewNetwork.of(spec, networks.values(), Ipv4.hostRoutes(Path.of("/proc/net/route")));
            save(n);
            events.publish("network", "create", n.id(), Map.of("name", n.name(), "type", "bridge"));
            return n;
        }
    }

    private void save(NetworkRecord n) {
        AtomicFiles.write(root.resolve("networks").resolve(n.id() + ".json"), EngineJson.write(n));
        networks.put(n.id(), n);
    }

    List<NetworkRecord> list() {
        synchronized (lock) {
            return List.copyOf(networks.values());
        }
    }

    /** By exact name, full id or unique id prefix; NOT_FOUND otherwise. */
    NetworkRecord get(String ref) {
        synchronized (lock) {
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
    }

    /** By full id; null when there is none. */
    NetworkRecord byId(String id) {
        synchronized (lock) {
            return networks.get(id);
        }
    }

    /** By full id, for a container created on it; NOT_FOUND when it has been removed since. */
    NetworkRecord require(String id) {
        synchronized (lock) {
            NetworkRecord n = networks.get(id);
            if (n == null) {
                throw GantryException.notFound("network " + id + " not found: it was removed after the container was created");
            }
            return n;
        }
    }

    NetworkRecord defaultNetwork() {
        synchronized (lock) {
            return networks.values().stream().filter(NetworkRecord::isDefault).findFirst().orElseThrow();
        }
    }

    /** A stored mode as Docker reports {@code HostConfig.NetworkMode}: the network's name for user networks. */
    String modeName(String mode) {
        synchronized (lock) {
            NetworkRecord n = networks.get(mode);
            return n == null ? mode : n.isDefault() ? DEFAULT_NAME : n.name();
        }
    }

    /**
     * Removes a user network; CONFLICT while a container has an endpoint on it or is joining it
     * (its ADD must not run on a bridge being deleted), PERMISSION_DENIED for the default one.
     */
    void remove(String ref) {
        NetworkRecord n;
        synchronized (lock) {
            n = get(ref);
            if (n.isDefault()) {
                throw new GantryException(ErrorKind.PERMISSION_DENIED, n.name() + " is a pre-defined network and cannot be removed");
            }
            int users = records.usersOf(n.id());
            if (users > 0) {
                throw GantryException.conflict("error while removing network: network " + n.name() + " id " + n.id()
                        + " has active endpoints (" + users + " container(s))");
            }
            networks.remove(n.id());
            try {
                Files.deleteIfExists(root.resolve("networks").resolve(n.id() + ".json"));
            } catch (IOException e) {
                throw new GantryException(ErrorKind.UNAVAILABLE, "removing network " + n.name() + ": " + e.getMessage(), e);
            }
        }
        listeners.forEach(l -> l.removed(n));
        // The last containers' DELs still queued must find the bridge and lease directory.
        releases.drain();
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
        FileTrees.delete(root.resolve("ipam").resolve(Conflists.cniName(n)));
    }

    /** Removes every user network without endpoints that {@code filter} accepts; returns their names. */
    List<String> prune(Predicate<NetworkRecord> filter) {
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
}
