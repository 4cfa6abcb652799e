package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.EventBus;
import dev.gantry.network.CachedAttachment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code docker network connect} and {@code disconnect}: a container's networks changed after its
 * create. On a running container the change is made at once, as a new endpoint {@code eth<n>}
 * (the lowest index free) or a DEL; on one that does not run it is only recorded, for its next
 * start. Both run under the container's engine lock ({@link ContainerLookup#lock}), so no start
 * or stop of it interleaves, and take {@code lock}, the catalogue's and the records' monitor,
 * only to read and write those; a connect that adds an endpoint is
 * {@linkplain ContainerRecords#join joining} the network until its record says so.
 */
final class NetworkConnections {
    private final Supplier<ContainerLookup> lookup;
    private final Object lock;
    private final NetworkCatalogue catalogue;
    private final ContainerRecords records;
    private final NetworkRequests requests;
    private final CniEndpoints cni;
    private final NetnsMounts netns;
    private final ForwardFilter forward;
    private final NetworkAnnouncer announcer;
    private final EventBus events;

    NetworkConnections(Supplier<ContainerLookup> lookup, Object lock, NetworkCatalogue catalogue, ContainerRecords records,
                       NetworkRequests requests, CniEndpoints cni, NetnsMounts netns, ForwardFilter forward, NetworkAnnouncer announcer,
                       EventBus events) {
        this.lookup = lookup;
        this.lock = lock;
        this.catalogue = catalogue;
        this.records = records;
        this.requests = requests;
        this.cni = cni;
        this.netns = netns;
        this.forward = forward;
        this.announcer = announcer;
        this.events = events;
    }

    /** As {@link NetworkService#connect}. */
    void connect(String networkRef, String containerRef, NetworkOptions.EndpointRequest request) {
        ContainerLookup containers = lookup.get();
        String id = containers.resolve(containerRef);
        synchronized (containers.lock(id)) {
            // Under the container's engine lock it neither starts nor stops meanwhile.
            boolean running = containers.runningPid(id).isPresent() && netns.isBound(id);
            Target t = target(networkRef, id, (n, c) -> {
                if (c == null || c.mode().equals("host") || c.mode().equals("none") || c.joinsAnother()) {
                    throw GantryException.invalid("container " + id + " cannot be connected to network " + n.name()
                            + ": its network mode is " + (c == null ? "none" : catalogue.modeName(c.mode())));
                }
                if (c.networks().containsKey(n.id())) {
                    throw new GantryException(ErrorKind.CONFLICT, "endpoint with name " + containers.name(id) + " already exists in network " + n.name());
                }
                requests.checkEndpoint(n, request);
                if (running) {
                    // In the step that found the network: a removal from now on sees the join.
                    records.join(id, List.of(n.id()), List.of());
                }
            });
            NetworkRecord n = t.network();
            ContainerNet c = t.container();
            Map<String, NetworkOptions.EndpointRequest> nets = new LinkedHashMap<>(c.networks());
            nets.put(n.id(), request);
            if (running) {
                int index = nextIndex(c);
                Endpoint e;
                try {
                    e = cni.add(id, netns.path(id), n, "eth" + index, request, List.of(), forward.mayDrop());
                    List<Endpoint> endpoints = new ArrayList<>(c.endpoints());
                    endpoints.add(e);
                    records.joined(c.withNetworks(nets).withLive(endpoints, c.published()));
                } catch (RuntimeException x) {
                    records.abandonJoin(id);
                    throw x;
                }
                announcer.changed(List.of(e));
            } else {
                records.put(c.withNetworks(nets));
                events.publish("network", "connect", n.id(), Map.of("name", n.name(), "type", "bridge", "container", id));
            }
        }
    }

    /** A network and a container's record (null when it has none), as {@link #target} read them. */
    private record Target(NetworkRecord network, ContainerNet container) {
    }

    /** Reads the network and the container's record together under {@code lock}, where {@code check} refuses a change by throwing. */
    private Target target(String networkRef, String id, BiConsumer<NetworkRecord, ContainerNet> check) {
        synchronized (lock) {
            NetworkRecord n = catalogue.get(networkRef);
            ContainerNet c = records.get(id);
            check.accept(n, c);
            return new Target(n, c);
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

    /** As {@link NetworkService#disconnect}. */
    void disconnect(String networkRef, String containerRef) {
        ContainerLookup containers = lookup.get();
        String id = containers.resolve(containerRef);
        synchronized (containers.lock(id)) {
            Target t = target(networkRef, id, (n, c) -> {
                if (c == null || !c.networks().containsKey(n.id())) {
                    throw GantryException.invalid("container " + id + " is not connected to network " + n.name());
                }
            });
            NetworkRecord n = t.network();
            ContainerNet c = t.container();
            Optional<Endpoint> live = c.endpoints().stream().filter(e -> e.networkId().equals(n.id())).findFirst();
            if (live.isPresent()) {
                Optional<CachedAttachment> cached = cni.cached(n, id, live.get().ifName());
                if (cached.isPresent()) {
                    cni.delete(cached.get(), netns.isBound(id));
                }
            }
            Map<String, NetworkOptions.EndpointRequest> nets = new LinkedHashMap<>(c.networks());
            nets.remove(n.id());
            List<Endpoint> endpoints = c.endpoints().stream().filter(e -> !e.networkId().equals(n.id())).toList();
            // The mode stays: a container disconnected from every network keeps its NetworkMode, as in Docker.
            records.put(new ContainerNet(c.id(), c.hostname(), c.mode(), nets, c.options(), endpoints,
                    live.isPresent() && live.get().ifName().equals("eth0") ? List.of() : c.published()));
            events.publish("network", "disconnect", n.id(), Map.of("name", n.name(), "type", "bridge", "container", id));
            live.ifPresent(e -> announcer.changed(List.of(e)));
        }
    }
}
