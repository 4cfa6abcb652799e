package dev.gantry.engine.internal;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
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
 * under {@code root/<id>/container.json} with {@link AtomicFiles}. A directory without a
 * readable record is what a crash during create leaves: {@link #open} reports it to the
 * caller, which cleans it up.
 *
 * <p>References: a full id, a name (with or without Docker's leading slash), or a unique id
 * prefix, in that order of precedence (as dockerd resolves them).
 */
public final class ContainerStore {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    static final String RECORD = "container.json";

    private final Path root;
    private final Map<String, ContainerRecord> byId = new HashMap<>();
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
                    Path rec = dir.resolve(RECORD);
                    if (!Ids.isFull(dir.getFileName().toString())) {
                        continue;
                    }
                    if (!Files.isRegularFile(rec)) {
                        orphan.accept(dir);
                        continue;
                    }
                    ContainerRecord r = EngineJson.read(Files.readAllBytes(rec), ContainerRecord.class, rec.toString());
                    s.byId.put(r.id(), r);
                    s.idByName.put(r.name(), r.id());
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
        try {
            Files.createDirectories(dir(r.id()));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "creating " + dir(r.id()) + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(dir(r.id()).resolve(RECORD), EngineJson.write(r));
        byId.put(r.id(), r);
        idByName.put(r.name(), r.id());
    }

    /**
     * Replaces the record of an existing container (same id), on disk first. A record equal to
     * the current one is already on disk: no write (each costs two fsyncs).
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
        AtomicFiles.write(dir(r.id()).resolve(RECORD), EngineJson.write(r));
        idByName.remove(old.name());
        idByName.put(r.name(), r.id());
        byId.put(r.id(), r);
    }

    /** Forgets a container; its directory must already be gone or is removed by the caller. */
    public synchronized void remove(String id) {
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
