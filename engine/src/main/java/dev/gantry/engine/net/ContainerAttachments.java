package dev.gantry.engine.net;

import dev.gantry.engine.EventBus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Puts a container on its networks at start and takes it off when it stops: CNI ADD and DEL
 * in sequence with the runtime and with each other.
 *
 * <p>Vocabulary. A container's <em>attach</em> resolves its published ports, makes and
 * <em>pins</em> its network namespace ({@link NetnsMounts}) and runs CNI ADD of each of its
 * networks there, on a thread of its own, while the runtime creates the container; until the ADD
 * ends the attach is <em>under way</em> ({@link Attaching}) and the container is
 * {@linkplain ContainerRecords#join joining} its networks: the ports it resolved are reserved and
 * the networks in use until its record holds them. Its <em>detach</em> empties the record's live
 * part at once and queues the container's <em>release</em> (DEL, then the pin goes) on the
 * {@link ReleaseQueue}. {@code lock} is the monitor of the records and the catalogue, held while
 * the ports are chosen and reserved, so that two starts never take the same one.
 */
final class ContainerAttachments {
    private final Object lock;
    private final ContainerRecords records;
    private final NetworkCatalogue catalogue;
    private final NetnsMounts netns;
    private final CniEndpoints cni;
    private final ForwardFilter forward;
    private final ReleaseQueue releases;
    private final NetworkAnnouncer announcer;
    private final ContainerEtc etc;
    private final EventBus events;
    private final Consumer<String> warn;
    /** CNI ADDs under way (container id → its attach), running while the runtime creates the container. */
    private final Map<String, Attaching> adding = new HashMap<>();

    ContainerAttachments(Object lock, ContainerRecords records, NetworkCatalogue catalogue, NetnsMounts netns, CniEndpoints cni,
                         ForwardFilter forward, ReleaseQueue releases, NetworkAnnouncer announcer, ContainerEtc etc,
                         EventBus events, Consumer<String> warn) {
        this.lock = lock;
        this.records = records;
        this.catalogue = catalogue;
        this.netns = netns;
        this.cni = cni;
        this.forward = forward;
        this.releases = releases;
        this.announcer = announcer;
        this.etc = etc;
        this.events = events;
        this.warn = warn;
    }

    /** As {@link NetworkService#attach}. */
    Attaching attach(String id, Path etcDir) {
        ContainerNet c = records.get(id);
        if (c == null || c.mode().equals("host") || c.mode().equals("none") || c.joinsAnother()) {
            return Attaching.NOTHING;
        }
        // The previous run's DEL lets go of the same pin file.
        releases.await(id);
        List<PortMapping> ports;
        synchronized (lock) {
            // Before any plugin runs, and reserved at once: two starts must not both take a port.
            ports = PortAllocator.resolve(c.options().ports(), c.options().publishAll(), c.options().exposedPorts(),
                    records.publishedExcept(id));
            records.join(id, c.networks().keySet(), ports);
        }
        Path ns;
        try {
            ns = netns.create(id);
        } catch (RuntimeException e) {
            records.abandonJoin(id);
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

    /** CNI ADD of every network of the container in {@code ns}, then its record and /etc files say so. */
    private void addAll(String id, ContainerNet c, Path ns, List<PortMapping> ports, Path etcDir) {
        try {
            List<Endpoint> endpoints = new ArrayList<>();
            boolean filtered = forward.mayDrop();
            int index = 0;
            for (var e : c.networks().entrySet()) {
                NetworkRecord n = catalogue.require(e.getKey());
                endpoints.add(cni.add(id, ns, n, "eth" + index, e.getValue(), index == 0 ? ports : List.of(), filtered));
                index++;
            }
            ContainerNet live = c.withLive(endpoints, ports);
            records.joined(live);
            etc.write(live, etcDir, endpoints);
            announcer.changed(endpoints);
        } catch (RuntimeException e) {
            records.abandonJoin(id);
            throw e;
        }
    }

    /** As {@link NetworkService#detach}. */
    void detach(String id) {
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
        releases.submit(id, () -> {
            try {
                if (changed) {
                    records.persist(id);
                }
                cni.release(id);
            } catch (RuntimeException e) {
                warn.accept("releasing the network of container " + id + " (the next engine start retries): " + e.getMessage());
            }
        });
    }

    /**
     * Forgets the container's endpoints and ports in memory, and on disk when {@code write}, and
     * says so (events, listeners); false when it had none.
     */
    boolean forgetEndpoints(String id, boolean write) {
        ContainerNet c = records.clearLive(id, write);
        if (c != null) {
            for (Endpoint e : c.endpoints()) {
                events.publish("network", "disconnect", e.networkId(), Map.of("name", e.networkName(), "type", "bridge", "container", id));
            }
            announcer.changed(c.endpoints());
        }
        return c != null && c.isLive();
    }
}
