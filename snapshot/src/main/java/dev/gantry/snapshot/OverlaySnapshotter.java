package dev.gantry.snapshot;

import dev.gantry.base.FileTrees;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A {@link Snapshotter} on the kernel's overlayfs. Each snapshot owns
 * {@code root/snapshots/<id>/fs} (its layer: the upper dir while active, a lower dir once
 * committed), {@code work} (overlay's work dir) and {@code info.json}, its metadata
 * ({@link SnapshotRecords}, which states what survives kill -9 and power loss). The metadata is
 * written last when a snapshot is created, and a removed snapshot's directory is renamed to
 * {@code <id>-<n>.removed} in one rename(2) and deleted in the background (rmdir(2) costs about
 * a millisecond each on ext4): a numbered directory without readable metadata is what a crash
 * during a create leaves, and goes when the snapshotter opens, as do the removed ones.
 *
 * <p>Mounts: an active snapshot without parent is a bind mount of its fs dir; with parents an
 * overlay (lowerdir = parents newest first, upperdir, workdir). A view of a single layer is a
 * read-only bind mount; of several, an overlay with only lowerdirs (read-only by construction).
 */
public final class OverlaySnapshotter implements Snapshotter {
    private static final String REMOVED = ".removed";
    /** One thread for the JVM: two snapshotters on the same root never delete the same tree at once. */
    private static final ExecutorService REAPER = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("gantry-snapshot-reaper").factory());
    private final Path root;
    private final Path snapshots;
    private final SnapshotRecords records;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private long nextId = 1;

    private record Entry(long id, SnapshotInfo info) {
    }

    public OverlaySnapshotter(Path root) {
        this.root = root;
        this.snapshots = root.resolve("snapshots");
        this.records = new SnapshotRecords(root, snapshots);
        try {
            Files.createDirectories(snapshots);
            // Layers hold setuid files and device nodes meant for containers: no other user
            // may reach them (CVE-2021-41091). Applied again at every open.
            Files.setPosixFilePermissions(snapshots, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x---"));
            records.migrateLegacy();
            load();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "snapshotter at " + root + ": " + e.getMessage(), e);
        }
    }

    /** The directory this snapshotter keeps its data in. */
    public Path root() {
        return root;
    }

    @Override
    public synchronized List<Mount> prepare(String key, String parent) {
        return create(key, parent, SnapshotInfo.Kind.ACTIVE);
    }

    @Override
    public synchronized List<Mount> view(String key, String parent) {
        if (parent == null) {
            throw GantryException.invalid("view " + key + ": a view needs a parent");
        }
        return create(key, parent, SnapshotInfo.Kind.VIEW);
    }

    private List<Mount> create(String key, String parent, SnapshotInfo.Kind kind) {
        validateKey(key);
        if (entries.containsKey(key)) {
            throw new GantryException(ErrorKind.ALREADY_EXISTS, "snapshot " + key + ": already exists");
        }
        if (parent != null) {
            Entry p = entries.get(parent);
            if (p == null) {
                throw GantryException.notFound("snapshot parent " + parent + ": not found");
            }
            if (p.info.kind() != SnapshotInfo.Kind.COMMITTED) {
                throw GantryException.invalid("snapshot parent " + parent + ": not committed");
            }
        }
        long id = nextId++;
        Path dir = snapshots.resolve(Long.toString(id));
        try {
            Files.createDirectory(dir);
            Files.createDirectory(dir.resolve("fs"));
            Files.createDirectory(dir.resolve("work"));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "creating snapshot " + key + ": " + e.getMessage(), e);
        }
        SnapshotInfo info = new SnapshotInfo(key, parent, kind, Instant.now().toString());
        records.create(id, info);
        entries.put(key, new Entry(id, info));
        return mountsOf(key);
    }

    /**
     * Makes the active snapshot {@code key} survive a power loss (a prepare alone survives a
     * kill of the process, and a commit a power loss): for a layer meant to outlive the process
     * that made it. The layer's content is not synced.
     */
    public synchronized void sync(String key) {
        records.sync(require(key).id);
    }

    @Override
    public synchronized List<Mount> mounts(String key) {
        Entry e = require(key);
        if (e.info.kind() == SnapshotInfo.Kind.COMMITTED) {
            throw GantryException.invalid("mounts " + key + ": committed snapshots are not mounted, make a view");
        }
        return mountsOf(key);
    }

    private List<Mount> mountsOf(String key) {
        Entry e = entries.get(key);
        List<String> lowers = new ArrayList<>();
        for (String p = e.info.parent(); p != null; p = entries.get(p).info.parent()) {
            if (!entries.containsKey(p)) {
                throw GantryException.notFound("snapshot " + key + ": its parent " + p + " is missing");
            }
            lowers.add(fsDir(entries.get(p)).toString());
        }
        if (e.info.kind() == SnapshotInfo.Kind.VIEW) {
            if (lowers.size() == 1) {
                return List.of(new Mount("bind", lowers.getFirst(), List.of("ro", "rbind")));
            }
            return List.of(new Mount("overlay", "overlay", List.of("lowerdir=" + String.join(":", lowers), "index=off")));
        }
        if (lowers.isEmpty()) {
            return List.of(new Mount("bind", fsDir(e).toString(), List.of("rw", "rbind")));
        }
        // redirect_dir and metacopy off: the upper dir must hold whole files and real
        // directories, so that diffing it against its parent yields a self-contained layer.
        return List.of(new Mount("overlay", "overlay", List.of(
                "lowerdir=" + String.join(":", lowers),
                "upperdir=" + fsDir(e),
                "workdir=" + snapshots.resolve(Long.toString(e.id)).resolve("work"),
                "index=off", "redirect_dir=off", "metacopy=off")));
    }

    @Override
    public synchronized void commit(String name, String key) {
        validateKey(name);
        Entry e = require(key);
        if (e.info.kind() != SnapshotInfo.Kind.ACTIVE) {
            throw GantryException.invalid("commit " + key + ": only active snapshots can be committed");
        }
        if (entries.containsKey(name)) {
            throw new GantryException(ErrorKind.ALREADY_EXISTS, "snapshot " + name + ": already exists");
        }
        SnapshotInfo info = new SnapshotInfo(name, e.info.parent(), SnapshotInfo.Kind.COMMITTED, Instant.now().toString());
        records.replaceDurably(e.id, info);
        entries.remove(key);
        entries.put(name, new Entry(e.id, info));
    }

    /**
     * Commits the parentless active snapshot {@code key}, into which a layer was applied, as
     * the layer {@code name} on top of {@code parent}. Sound only for a layer applied to an
     * empty upper dir and never mounted: its content is the layer alone, whatever lies below.
     */
    public synchronized void commitLayer(String name, String key, String parent) {
        Entry e = require(key);
        if (e.info.parent() != null || e.info.kind() != SnapshotInfo.Kind.ACTIVE) {
            throw GantryException.invalid("commit layer " + key + ": not a parentless active snapshot");
        }
        if (parent != null) {
            Entry p = require(parent);
            if (p.info.kind() != SnapshotInfo.Kind.COMMITTED) {
                throw GantryException.invalid("commit layer " + key + ": parent " + parent + " is not committed");
            }
        }
        validateKey(name);
        if (entries.containsKey(name)) {
            throw new GantryException(ErrorKind.ALREADY_EXISTS, "snapshot " + name + ": already exists");
        }
        SnapshotInfo info = new SnapshotInfo(name, parent, SnapshotInfo.Kind.COMMITTED, Instant.now().toString());
        records.replaceDurably(e.id, info);
        entries.remove(key);
        entries.put(name, new Entry(e.id, info));
    }

    @Override
    public synchronized void remove(String key) {
        Entry e = require(key);
        for (Entry other : entries.values()) {
            if (key.equals(other.info.parent())) {
                throw GantryException.conflict("remove snapshot " + key + ": snapshot " + other.info.name() + " is based on it");
            }
        }
        // The rename removes the metadata with the directory: no crash can leave one without the other.
        Path dir = snapshots.resolve(Long.toString(e.id));
        Path removed = snapshots.resolve(e.id + "-" + System.nanoTime() + REMOVED);
        try {
            Files.move(dir, removed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            FileTrees.delete(dir);
            entries.remove(key);
            return;
        }
        entries.remove(key);
        deleteLater(removed);
    }

    /** Deletes a renamed-away directory on the reaper; what is left (a crash) goes at the next open. */
    private static void deleteLater(Path removed) {
        REAPER.execute(() -> {
            try {
                FileTrees.delete(removed);
            } catch (GantryException ignored) {
                // Still named *.removed: the next open deletes it.
            }
        });
    }

    @Override
    public synchronized SnapshotInfo stat(String key) {
        return require(key).info;
    }

    /** Whether a snapshot with this key or name exists. */
    public synchronized boolean exists(String key) {
        return entries.containsKey(key);
    }

    @Override
    public Usage usage(String key) {
        Path dir;
        synchronized (this) {
            dir = fsDir(require(key));
        }
        long[] sum = {0, 0};
        Set<Object> seen = new HashSet<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                    sum[1]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                    if (seen.add(a.fileKey())) {
                        sum[1]++;
                        if (a.isRegularFile()) {
                            sum[0] += a.size();
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "usage of snapshot " + key + ": " + e.getMessage(), e);
        }
        return new Usage(sum[0], sum[1]);
    }

    @Override
    public synchronized void walk(Consumer<SnapshotInfo> visitor) {
        List.copyOf(entries.values()).forEach(e -> visitor.accept(e.info));
    }

    /**
     * The directory holding the snapshot's own layer: for an active snapshot the overlay upper
     * dir, into which a layer is applied and from which a diff is taken.
     */
    public synchronized Path layerDir(String key) {
        return fsDir(require(key));
    }

    private Path fsDir(Entry e) {
        return snapshots.resolve(Long.toString(e.id)).resolve("fs");
    }

    private Entry require(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            throw GantryException.notFound("snapshot " + key + ": not found");
        }
        return e;
    }

    private static void validateKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 512) {
            throw GantryException.invalid("snapshot key: must be 1 to 512 characters");
        }
    }

    /**
     * Reads every snapshot's metadata, in creation order; numbered directories without it (a
     * crash during a create) are deleted now, removed ones later. Ids continue after the
     * highest in use.
     */
    private void load() throws IOException {
        TreeMap<Long, SnapshotInfo> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(snapshots)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(REMOVED)) {
                    // No live snapshot is ever named so: deleting it later races with nothing.
                    deleteLater(p);
                    continue;
                }
                Optional<SnapshotInfo> info = name.matches("[1-9][0-9]{0,17}") ? records.read(p) : Optional.empty();
                if (info.isPresent()) {
                    found.put(Long.parseLong(name), info.get());
                } else {
                    FileTrees.delete(p);
                }
            }
        }
        found.forEach((id, info) -> entries.put(info.name(), new Entry(id, info)));
        nextId = found.isEmpty() ? 1 : found.lastKey() + 1;
    }
}
