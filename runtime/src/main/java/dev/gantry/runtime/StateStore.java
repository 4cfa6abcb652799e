package dev.gantry.runtime;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.FileTrees;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.JsonTree;
import dev.gantry.oci.runtime.RecordBinder;
import dev.gantry.oci.runtime.State;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The runtime's state directory ({@code --root}): one directory per container holding
 * state.json and, until the container is started, exec.fifo.
 */
public final class StateStore {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,1023}");
    static final String FIFO = "exec.fifo";
    private static final String STATE = "state.json";
    private static final String NEW_SUFFIX = ".new";
    private static final int READ_ATTEMPTS = 10;

    private static final String REMOVED_PREFIX = ".removed-";

    private final Path root;
    private final ProcInfo proc;
    private final Predicate<ContainerRecord> frozen;
    private final Consumer<Path> deleter;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong removals = new AtomicLong();

    public StateStore(Path root) {
        this(root, new ProcInfo(Path.of("/proc")), rec -> false, FileTrees::delete);
    }

    /**
     * @param frozen whether a live container's cgroup is frozen (then its status is paused);
     *               the freezer is the only record of a pause, so it survives the runtime
     */
    public StateStore(Path root, Predicate<ContainerRecord> frozen) {
        this(root, new ProcInfo(Path.of("/proc")), frozen, FileTrees::delete);
    }

    /**
     * @param deleter deletes a removed container's directory, renamed aside first: at once, or
     *                later on another thread in a process that lives long enough
     */
    public StateStore(Path root, Predicate<ContainerRecord> frozen, Consumer<Path> deleter) {
        this(root, new ProcInfo(Path.of("/proc")), frozen, deleter);
    }

    StateStore(Path root, ProcInfo proc) {
        this(root, proc, rec -> false, FileTrees::delete);
    }

    StateStore(Path root, ProcInfo proc, Predicate<ContainerRecord> frozen, Consumer<Path> deleter) {
        this.root = root;
        this.proc = proc;
        this.frozen = frozen;
        this.deleter = deleter;
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

    /**
     * Writes the container's state.json. The new state is written to a temporary file of this
     * writer's own, renamed to {@code state.json.<writer>.new} once complete, and only then does it
     * replace the old state: unlink, then rename. ext4 (auto_da_alloc) writes a file's data out
     * before a rename that replaces another file, which made every save cost 1.2–1.9 ms here
     * against ~0.1 ms this way. The state directory lives in the exec root, which does not outlive
     * the machine, so what must hold is that a crash of this process at any point leaves a
     * complete state: between the unlink and the last rename {@link #load} reads the newest
     * {@code .new} file, which is only ever complete. Each writer has its own file names, so two
     * processes saving at once (two {@code gantry-runc update}) cannot tear a file or leave no
     * state: each ends with its own rename, and the last one's state stays.
     */
    public void save(ContainerRecord rec) {
        Path dir = dir(rec.id());
        String writer = ProcessHandle.current().pid() + "-" + writes.incrementAndGet();
        Path tmp = dir.resolve(STATE + "." + writer + ".tmp");
        Path complete = dir.resolve(STATE + "." + writer + NEW_SUFFIX);
        Path state = dir.resolve(STATE);
        try {
            Files.write(tmp, JsonTree.write(rec));
            Files.move(tmp, complete, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(state);
            Files.move(complete, state, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing state of " + rec.id(), e);
        }
    }

    public ContainerRecord load(String id) {
        Path dir = dir(id);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            Optional<Path> file = lookOnce(dir);
            if (file.isEmpty()) {
                if (!Files.isDirectory(dir)) {
                    break;
                }
                continue;
            }
            byte[] json;
            try {
                json = Files.readAllBytes(file.get());
            } catch (NoSuchFileException e) {
                // A save renamed or unlinked it between the look and the read: look again.
                continue;
            } catch (IOException e) {
                throw new GantryException(ErrorKind.INTERNAL, "state of container \"" + id + "\" is unreadable: " + e.getMessage());
            }
            try {
                return RecordBinder.bind(JsonTree.parse(json, STATE), ContainerRecord.class, STATE);
            } catch (GantryException e) {
                throw new GantryException(ErrorKind.INTERNAL, "state of container \"" + id + "\" is unreadable: " + e.getMessage());
            }
        }
        throw GantryException.notFound("container \"" + id + "\" does not exist");
    }

    public boolean exists(String id) {
        return stateFile(dir(id)).isPresent();
    }

    /**
     * The file that holds the container's state: state.json, or while a save is between its
     * unlink and its last rename the newest complete {@code .new} file. A reader that looked
     * just as a rename happened finds neither and looks again, a few times: the window is a
     * couple of system calls wide.
     */
    private static Optional<Path> stateFile(Path dir) {
        for (int attempt = 0; attempt < READ_ATTEMPTS && Files.isDirectory(dir); attempt++) {
            Optional<Path> file = lookOnce(dir);
            if (file.isPresent()) {
                return file;
            }
        }
        return Optional.empty();
    }

    /** One look for the state file (see {@link #stateFile}). */
    private static Optional<Path> lookOnce(Path dir) {
        Path state = dir.resolve(STATE);
        if (Files.exists(state)) {
            return Optional.of(state);
        }
        Path newest = null;
        FileTime newestTime = null;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, STATE + ".*" + NEW_SUFFIX)) {
            for (Path p : ds) {
                FileTime t = Files.getLastModifiedTime(p);
                if (newest == null || t.compareTo(newestTime) > 0) {
                    newest = p;
                    newestTime = t;
                }
            }
        } catch (NoSuchFileException e) {
            // the directory or a .new file went meanwhile: nothing found this time
        } catch (IOException e) {
            throw new UncheckedIOException("reading state directory " + dir, e);
        }
        return Optional.ofNullable(newest);
    }

    public List<String> ids() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                // A removed container's directory, renamed aside, is not a container (ids never start with a dot).
                if (!d.getFileName().toString().startsWith(".") && stateFile(d).isPresent()) {
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

    /**
     * Removes the container's directory. It is renamed aside first, which frees the id at once,
     * then given to the deleter: on this file system (ext4 mounted with discard) each rmdir
     * costs about a millisecond, which a daemon need not spend while a client waits.
     */
    public void remove(String id) {
        Path dir = dir(id);
        // The pid says who is deleting it (deleteLeftovers spares a live one's); the time and count make it unique across pid reuse.
        Path aside = root.resolve(REMOVED_PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + removals.incrementAndGet());
        try {
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("removing state directory " + dir, e);
        }
        deleter.accept(aside);
    }

    /**
     * Deletes the directories that removals renamed aside and whose process ended before it
     * deleted them; those of a process still alive (another gantry-runc deleting its own) are
     * left to it. Every one is tried; the first failure is thrown after.
     */
    public void deleteLeftovers() {
        if (!Files.isDirectory(root)) {
            return;
        }
        long self = ProcessHandle.current().pid();
        GantryException failure = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, REMOVED_PREFIX + "*")) {
            for (Path e : entries) {
                String rest = e.getFileName().toString().substring(REMOVED_PREFIX.length());
                long pid = rest.indexOf('-') > 0 && rest.substring(0, rest.indexOf('-')).chars().allMatch(Character::isDigit)
                        ? Long.parseLong(rest.substring(0, rest.indexOf('-'))) : -1;
                if (pid > 0 && pid != self && ProcessHandle.of(pid).isPresent()) {
                    continue;
                }
                try {
                    FileTrees.delete(e);
                } catch (GantryException g) {
                    if (failure == null) {
                        failure = g;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root, e);
        }
        if (failure != null) {
            throw failure;
        }
    }
}
