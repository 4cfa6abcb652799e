package dev.gantry.engine.net;

import dev.gantry.base.GantryException;
import dev.gantry.engine.internal.EngineJson;
import dev.gantry.engine.internal.RecordFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The containers' networking records ({@link ContainerNet}), in memory and on disk as
 * {@link RecordFile} generations {@code <dir>/<container id>}.
 *
 * <p>Vocabulary. A container's <em>record</em> holds what it asked for at create and, while it
 * runs, its <em>live</em> part: endpoints and published ports. A <em>disposable</em> container is
 * removed when it stops ({@code --rm}): its record is written but never synced. A container is
 * <em>joining</em> networks while CNI ADD puts it on them and its record does not say so yet: its
 * ports are reserved, and the networks count as in use. Every method holds {@code lock}, the
 * monitor shared with the network catalogue and the attachments, so a caller holding it too reads
 * and writes records and networks as one step.
 */
final class ContainerRecords {
    private final Path dir;
    private final Object lock;
    private final Consumer<String> warn;
    private final Map<String, ContainerNet> containers = new HashMap<>();
    /** The generation of each container's record file on disk. */
    private final Map<String, Long> generations = new HashMap<>();
    private final Set<String> disposable = new HashSet<>();
    private final Map<String, Joining> joining = new HashMap<>();

    /** What a joining container takes before its record holds it. */
    private record Joining(Set<String> networkIds, List<PortMapping> ports) {
    }

    /** Reads every record under {@code dir}. */
    ContainerRecords(Path dir, Object lock, Consumer<String> warn) {
        this.dir = dir;
        this.lock = lock;
        this.warn = warn;
        RecordFile.readAll(dir, (b, file) -> EngineJson.read(b, ContainerNet.class, file)).forEach((base, found) -> {
            containers.put(found.value().id(), found.value());
            generations.put(found.value().id(), found.generation());
        });
    }

    /** The container's record; null when it has none. */
    ContainerNet get(String id) {
        synchronized (lock) {
            return containers.get(id);
        }
    }

    /** Records a new container; a disposable one's record is never synced. */
    void create(ContainerNet c, boolean disposable) {
        synchronized (lock) {
            if (disposable) {
                this.disposable.add(c.id());
            }
            put(c);
        }
    }

    /**
     * Writes the container's record as the next {@link RecordFile} generation: synced unless the
     * container is disposable (a rename over the old file, or fsync, costs ~1 ms each on ext4
     * mounted with discard, on every start).
     */
    void put(ContainerNet c) {
        synchronized (lock) {
            generations.put(c.id(), RecordFile.write(dir, c.id(), generations.getOrDefault(c.id(), -1L), EngineJson.write(c),
                    !disposable.contains(c.id())));
            containers.put(c.id(), c);
        }
    }

    /** Writes the container's record as it is in memory (a removed container's is not written again). */
    void persist(String id) {
        synchronized (lock) {
            ContainerNet c = containers.get(id);
            if (c != null) {
                put(c);
            }
        }
    }

    /**
     * Empties the container's live part, in memory, and on disk too when {@code write}; returns
     * the record as it was, null when it has none.
     */
    ContainerNet clearLive(String id, boolean write) {
        synchronized (lock) {
            ContainerNet c = containers.get(id);
            if (c != null && c.isLive()) {
                if (write) {
                    put(c.withLive(List.of(), List.of()));
                } else {
                    containers.put(id, c.withLive(List.of(), List.of()));
                }
            }
            return c;
        }
    }

    /** Forgets a removed container, record file included. */
    void remove(String id) {
        synchronized (lock) {
            containers.remove(id);
            deleteRecord(id);
        }
    }

    /** Forgets every container {@code known} does not accept, record files included. */
    void retain(Predicate<String> known) {
        synchronized (lock) {
            containers.keySet().removeIf(id -> {
                if (known.test(id)) {
                    return false;
                }
                deleteRecord(id);
                return true;
            });
        }
    }

    /** Deletes the container's record file (whatever generation it is at); a failure is a warning. */
    private void deleteRecord(String id) {
        Long generation = generations.remove(id);
        disposable.remove(id);
        if (generation != null) {
            try {
                RecordFile.delete(dir, id, generation);
            } catch (GantryException e) {
                warn.accept("removing the network record of " + id + ": " + e.getMessage());
            }
        }
    }

    /** The container begins joining the networks with the ports: no other container may take them, nor the networks be removed. */
    void join(String id, Collection<String> networkIds, List<PortMapping> ports) {
        synchronized (lock) {
            joining.put(id, new Joining(Set.copyOf(networkIds), List.copyOf(ports)));
        }
    }

    /** The container has joined: its record, written now, holds its endpoints and ports. */
    void joined(ContainerNet live) {
        synchronized (lock) {
            put(live);
            joining.remove(live.id());
        }
    }

    /** The container's join failed: what it took is free again. */
    void abandonJoin(String id) {
        synchronized (lock) {
            joining.remove(id);
        }
    }

    /** How many containers have an endpoint on the network or are joining it. */
    int usersOf(String networkId) {
        synchronized (lock) {
            Set<String> users = new HashSet<>(endpointsOf(networkId).keySet());
            joining.forEach((id, j) -> {
                if (j.networkIds().contains(networkId)) {
                    users.add(id);
                }
            });
            return users.size();
        }
    }

    /** The running containers with an endpoint on the network: container id → that endpoint. */
    Map<String, Endpoint> endpointsOf(String networkId) {
        synchronized (lock) {
            Map<String, Endpoint> out = new LinkedHashMap<>();
            for (ContainerNet c : containers.values()) {
                c.endpoints().stream().filter(e -> e.networkId().equals(networkId)).findFirst().ifPresent(e -> out.put(c.id(), e));
            }
            return out;
        }
    }

    /** The ports published by every container but {@code id}, or reserved by one joining. */
    List<PortMapping> publishedExcept(String id) {
        synchronized (lock) {
            List<PortMapping> out = new ArrayList<>();
            containers.values().stream().filter(c -> !c.id().equals(id)).forEach(c -> out.addAll(c.published()));
            joining.forEach((other, j) -> {
                if (!other.equals(id)) {
                    out.addAll(j.ports());
                }
            });
            return out;
        }
    }

    /** The containers {@code live} does not name that still have endpoints. */
    List<String> attachedBesides(Set<String> live) {
        synchronized (lock) {
            return containers.values().stream().filter(c -> !live.contains(c.id()) && !c.endpoints().isEmpty()).map(ContainerNet::id).toList();
        }
    }
}
