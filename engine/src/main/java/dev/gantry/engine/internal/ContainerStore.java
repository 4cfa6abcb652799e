package dev.gantry.engine.internal;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.HostConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The containers of the engine, kept in memory and persisted one JSON file per container
 * under {@code root/<id>/}, {@code container.<n>.json}, as {@link RecordFile} generations. A
 * directory without a readable record is what a crash during create or remove leaves:
 * {@link #open} reports it to the caller, which cleans it up.
 *
 * <p>What survives: after a <b>kill -9</b> of the engine at any moment, every record as last
 * written (the contract the engine's restart relies on: each container is found running and
 * adopted, or recorded as exited). After a <b>power loss</b>, the record of a container that
 * is not {@link HostConfig#autoRemove() auto-removed} as last written (its writes are synced);
 * a {@code --rm} container's record is written for kill -9 only, like its writable layer (see
 * {@link ContainerFs#mount(String, Path, boolean)}), and may be lost, which leaves an orphan
 * directory that the next open removes: such a container was to be deleted anyway.
 *
 * <p>References: a full id, a name (with or without Docker's leading slash), or a unique id
 * prefix, in that order of precedence (as dockerd resolves them).
 */
public final class ContainerStore {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    static final String RECORD = "container";

    private final Path root;
    private final Map<String, ContainerRecord> byId = new HashMap<>();
    /** The generation of each container's record file on disk. */
    private final Map<String, Long> generations = new HashMap<>();
    private final Map<String, String> idByName = new HashMap<>();

    private ContainerStore(Path root) {
        this.root = root;
    }

    /** Loads every record under {@code root}; directories without one go to {@code orphan}. */
    public static ContainerStore open(Path root, Consumer<Path> orphan) {
        ContainerStore s = new ContainerStore(root);
        try {
            PrivateDirs.ensure(root);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                for (Path dir : ds) {
                    if (!Ids.isFull(dir.getFileName().toString()) || !Files.isDirectory(dir)) {
                        continue;
                    }
                    var found = RecordFile.read(dir, RECORD, (b, file) -> EngineJson.read(b, ContainerRecord.class, file));
                    if (found.isEmpty()) {
                        orphan.accept(dir);
                        continue;
                    }
                    ContainerRecord r = found.get().value();
                    s.byId.put(r.id(), r);
                    s.idByName.put(r.name(), r.id());
                    s.generations.put(r.id(), found.get().generation());
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "container store " + root + ": " + e.getMessage(), e);
        }
        return s;
    }

    public Path dir(String id) {
        return root.resolve(Ids.requireFull(id, "container id"));
    }

    /** Checks a requested name and strips Docker's leading slash. */
    public static String checkName(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (!NAME.matcher(n).matches()) {
            throw GantryException.invalid("name \"" + name + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return n;
    }

    public synchronized boolean nameTaken(String name) {
        return idByName.containsKey(name);
    }

    /** Adds a new container: CONFLICT when its name is in use. Creates its directory and record. */
    public synchronized void add(ContainerRecord r) {
        String owner = idByName.get(r.name());
        if (owner != null) {
            throw GantryException.conflict("name \"/" + r.name() + "\" is already in use by container " + owner
                    + ": remove or rename that container to reuse the name");
        }
        boolean durable = durable(r);
        try {
            Files.createDirectories(dir(r.id()));
            generations.put(r.id(), RecordFile.write(dir(r.id()), RECORD, -1, EngineJson.write(r), durable));
            if (durable) {
                // The container's directory entry too (fsync(2), NOTES).
                RecordFile.syncDir(root);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "creating " + dir(r.id()) + ": " + e.getMessage(), e);
        }
        byId.put(r.id(), r);
        idByName.put(r.name(), r.id());
    }

    /** Whether a record must survive a power loss: see the class comment. */
    private static boolean durable(ContainerRecord r) {
        return r.hostConfig() == null || !r.hostConfig().autoRemove();
    }

    /**
     * Replaces the record of an existing container (same id), on disk first. A record equal to
     * the current one is already on disk: no write.
     */
    public synchronized void put(ContainerRecord r) {
        ContainerRecord old = byId.get(r.id());
        if (old == null) {
            throw GantryException.notFound("No such container: " + r.id());
        }
        if (old.equals(r)) {
            return;
        }
        if (!old.name().equals(r.name())) {
            String owner = idByName.get(r.name());
            if (owner != null && !owner.equals(r.id())) {
                throw GantryException.conflict("name \"/" + r.name() + "\" is already in use by container " + owner);
            }
        }
        generations.put(r.id(), RecordFile.write(dir(r.id()), RECORD, generations.get(r.id()), EngineJson.write(r), durable(r)));
        idByName.remove(old.name());
        idByName.put(r.name(), r.id());
        byId.put(r.id(), r);
    }

    /**
     * Deletes a container's record, then forgets it. Its directory is the caller's to remove:
     * a crash before that leaves an orphan directory, which the next open reports.
     */
    public synchronized void remove(String id) {
        Long generation = generations.get(id);
        if (generation != null) {
            RecordFile.delete(dir(id), RECORD, generation);
        }
        generations.remove(id);
        ContainerRecord r = byId.remove(id);
        if (r != null) {
            idByName.remove(r.name());
        }
    }

    public synchronized ContainerRecord get(String id) {
        ContainerRecord r = byId.get(id);
        if (r == null) {
            throw GantryException.notFound("No such container: " + id);
        }
        return r;
    }

    public synchronized boolean exists(String id) {
        return byId.containsKey(id);
    }

    public synchronized List<ContainerRecord> all() {
        return new ArrayList<>(byId.values());
    }

    /**
     * The id a reference names: a full id, a name, or a unique id prefix. NOT_FOUND when
     * nothing matches; INVALID_ARGUMENT when a prefix matches several containers.
     */
    public synchronized String resolve(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw GantryException.invalid("container reference: must not be empty");
        }
        if (byId.containsKey(ref)) {
            return ref;
        }
        String name = ref.startsWith("/") ? ref.substring(1) : ref;
        String named = idByName.get(name);
        if (named != null) {
            return named;
        }
        String found = null;
        if (ref.matches("[0-9a-f]+")) {
            for (String id : byId.keySet()) {
                if (id.startsWith(ref)) {
                    if (found != null) {
                        throw GantryException.invalid("container reference \"" + ref
                                + "\" is ambiguous: several container ids start with it");
                    }
                    found = id;
                }
            }
        }
        if (found == null) {
            throw GantryException.notFound("No such container: " + ref);
        }
        return found;
    }
}
