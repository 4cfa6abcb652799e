package dev.gantry.runtime;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.FileTrees;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.JsonTree;
import dev.gantry.oci.runtime.RecordBinder;
import dev.gantry.oci.runtime.State;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The runtime's state directory ({@code --root}): one directory per container holding
 * state.json and, until the container is started, exec.fifo.
 */
public final class StateStore {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,1023}");
    static final String FIFO = "exec.fifo";

    private final Path root;
    private final ProcInfo proc;
    private final Predicate<ContainerRecord> frozen;

    public StateStore(Path root) {
        this(root, new ProcInfo(Path.of("/proc")), rec -> false);
    }

    /**
     * @param frozen whether a live container's cgroup is frozen (then its status is paused);
     *               the freezer is the only record of a pause, so it survives the runtime
     */
    public StateStore(Path root, Predicate<ContainerRecord> frozen) {
        this(root, new ProcInfo(Path.of("/proc")), frozen);
    }

    StateStore(Path root, ProcInfo proc) {
        this(root, proc, rec -> false);
    }

    StateStore(Path root, ProcInfo proc, Predicate<ContainerRecord> frozen) {
        this.root = root;
        this.proc = proc;
        this.frozen = frozen;
    }

    public Path root() {
        return root;
    }

    public static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw GantryException.invalid("invalid container id \"" + id
                    + "\": use letters, digits, and _ . + - (not first), at most 1024 characters");
        }
    }

    public Path dir(String id) {
        checkId(id);
        return root.resolve(id);
    }

    public Path fifo(String id) {
        return dir(id).resolve(FIFO);
    }

    /** Reserves the id: fails with ALREADY_EXISTS if a container of that id exists. */
    public Path create(String id) {
        Path dir = dir(id);
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw new GantryException(ErrorKind.ALREADY_EXISTS, "container \"" + id + "\" already exists");
        } catch (IOException e) {
            throw new UncheckedIOException("creating state directory " + dir, e);
        }
    }

    public void save(ContainerRecord rec) {
        Path dir = dir(rec.id());
        Path tmp = dir.resolve("state.json.tmp");
        try {
            Files.write(tmp, JsonTree.write(rec));
            try {
                Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing state of " + rec.id(), e);
        }
    }

    public ContainerRecord load(String id) {
        Path file = dir(id).resolve("state.json");
        try {
            return RecordBinder.bind(JsonTree.parse(Files.readAllBytes(file), "state.json"), ContainerRecord.class, "state.json");
        } catch (GantryException e) {
            throw new GantryException(ErrorKind.INTERNAL, "state of container \"" + id + "\" is unreadable: " + e.getMessage());
        } catch (IOException e) {
            if (e instanceof NoSuchFileException || !Files.exists(file)) {
                throw GantryException.notFound("container \"" + id + "\" does not exist");
            }
            throw new GantryException(ErrorKind.INTERNAL, "state of container \"" + id + "\" is unreadable: " + e.getMessage());
        }
    }

    public boolean exists(String id) {
        return Files.exists(dir(id).resolve("state.json"));
    }

    public List<String> ids() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                if (Files.exists(d.resolve("state.json"))) {
                    out.add(d.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root, e);
        }
        out.sort(null);
        return out;
    }

    /** The status as runtime.md defines it, derived from the live system. */
    public State.Status status(ContainerRecord rec) {
        if (rec.creating()) {
            return State.Status.CREATING;
        }
        if (!proc.alive(rec.pid(), rec.pidStartTime())) {
            return State.Status.STOPPED;
        }
        if (frozen.test(rec)) {
            return State.Status.PAUSED;
        }
        return Files.exists(fifo(rec.id())) ? State.Status.CREATED : State.Status.RUNNING;
    }

    public State state(ContainerRecord rec) {
        State.Status status = status(rec);
        Integer pid = status == State.Status.STOPPED || rec.pid() <= 0 ? null : rec.pid();
        return new State(rec.ociVersion(), rec.id(), status, pid == null ? 0 : pid, rec.bundle(), rec.annotations());
    }

    public void remove(String id) {
        FileTrees.delete(dir(id));
    }
}
