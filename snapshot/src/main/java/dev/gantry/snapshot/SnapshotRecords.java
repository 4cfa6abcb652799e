package dev.gantry.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.ImageJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * The snapshotter's metadata on disk: one small file per snapshot, {@code snapshots/<id>/info.json}
 * beside the snapshot's {@code fs} and {@code work}, so that creating or removing one snapshot
 * never rewrites what the others record, and removing a snapshot (renaming its directory away)
 * removes its metadata in the same rename(2).
 *
 * <p>Crash guarantees. <b>kill -9</b> of the process at any moment: every snapshot whose
 * {@code prepare}, {@code view} or {@code commit} returned is found again with its metadata
 * (the page cache outlives the process); an interrupted one is either complete or absent.
 * <b>Power loss</b>: a committed snapshot's metadata, synced by {@link #replaceDurably}, survives,
 * as does an active snapshot's once {@link #sync synced}; another active snapshot or view
 * written since the kernel last wrote back may come back without metadata or with a torn file,
 * and is then deleted like an interrupted prepare. A torn file is
 * never read as a snapshot. The layer contents themselves are not synced here.
 *
 * <p>Why a new snapshot's file is not synced and never renamed over another: on ext4,
 * fsync and a rename over an existing file (auto_da_alloc, ext4(5)) both allocate blocks at
 * once, and freeing allocated blocks on a file system mounted with {@code discard} costs about a
 * millisecond when the snapshot is removed. A file created and deleted before writeback never
 * reaches the disk.
 */
final class SnapshotRecords {
    static final String INFO = "info.json";
    /** The single file of the format before per-snapshot files, migrated at open. */
    static final String LEGACY = "metadata.json";
    private static final String TMP = ".tmp";

    private final Path root;
    private final Path snapshots;

    /** The legacy file's shape: every snapshot by key, each with its directory number. */
    record Legacy(@JsonProperty("nextId") long nextId, @JsonProperty("snapshots") Map<String, LegacyEntry> snapshots) {
    }

    record LegacyEntry(@JsonProperty("id") long id, @JsonProperty("info") SnapshotInfo info) {
    }

    SnapshotRecords(Path root, Path snapshots) {
        this.root = root;
        this.snapshots = snapshots;
    }

    /**
     * Writes the metadata of the new snapshot {@code id}, whose directories exist: the last step
     * of creating it, so that a crash before it leaves a directory without metadata (an orphan).
     */
    void create(long id, SnapshotInfo info) {
        Path file = snapshots.resolve(Long.toString(id)).resolve(INFO);
        try {
            write(file, ImageJson.write(info), StandardOpenOption.CREATE_NEW, false);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "writing " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the metadata of snapshot {@code id} so that a power loss leaves the old or the new
     * content: the new file is synced, renamed over the old one, and the directories that name
     * it are synced (fsync(2): syncing a file does not sync its directory entry).
     */
    void replaceDurably(long id, SnapshotInfo info) {
        Path dir = snapshots.resolve(Long.toString(id));
        Path tmp = dir.resolve(INFO + TMP);
        try {
            write(tmp, ImageJson.write(info), StandardOpenOption.TRUNCATE_EXISTING, true);
            Files.move(tmp, dir.resolve(INFO), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDir(dir);
            syncDir(snapshots);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "writing " + dir.resolve(INFO) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the metadata of snapshot {@code id}, written by {@link #create}, survive a power loss:
     * the file, the snapshot's directory (its {@code fs}, {@code work} and metadata entries) and
     * the directory naming it are synced.
     */
    void sync(long id) {
        Path dir = snapshots.resolve(Long.toString(id));
        try (FileChannel ch = FileChannel.open(dir.resolve(INFO), StandardOpenOption.READ)) {
            ch.force(true);
            syncDir(dir);
            syncDir(snapshots);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "syncing " + dir.resolve(INFO) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The metadata in directory {@code dir}; empty when it has none or a torn one (not whole
     * JSON: a crash during its creation). A read error other than absence, and whole JSON that
     * is not a snapshot's metadata (another version's format), are UNAVAILABLE, so that neither
     * a failing disk nor a format change makes a snapshot look like an orphan to delete.
     */
    Optional<SnapshotInfo> read(Path dir) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(INFO));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading " + dir.resolve(INFO) + ": " + e.getMessage(), e);
        }
        if (!whole(bytes)) {
            return Optional.empty();
        }
        try {
            SnapshotInfo info = ImageJson.read(bytes, SnapshotInfo.class, dir.resolve(INFO).toString());
            if (info.name() != null && info.kind() != null) {
                return Optional.of(info);
            }
        } catch (GantryException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, e.getMessage(), e);
        }
        throw new GantryException(ErrorKind.UNAVAILABLE, dir.resolve(INFO) + ": no name or kind");
    }

    /** Whether {@code bytes} is one whole JSON object, which a write cut short, zeros or nothing never are. */
    private static boolean whole(byte[] bytes) {
        try {
            JsonNode node = ImageJson.mapper().readTree(bytes);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Moves an install's legacy {@code metadata.json} to per-snapshot files: each entry whose
     * directory exists gets its file (synced), then the legacy file goes. A crash before that
     * leaves the legacy file, and the next open migrates again from it; entries without a
     * directory are dropped, directories without an entry are orphans as before.
     */
    void migrateLegacy() {
        Path legacy = root.resolve(LEGACY);
        try {
            Files.deleteIfExists(root.resolve(LEGACY + TMP));
            if (!Files.exists(legacy)) {
                return;
            }
            Legacy old = ImageJson.read(Files.readAllBytes(legacy), Legacy.class, "snapshot metadata " + legacy);
            if (old.snapshots() != null) {
                for (LegacyEntry e : old.snapshots().values()) {
                    if (e.info() != null && Files.isDirectory(snapshots.resolve(Long.toString(e.id())))) {
                        replaceDurably(e.id(), e.info());
                    }
                }
            }
            Files.delete(legacy);
            syncDir(root);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "migrating snapshot metadata " + legacy + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, byte[] content, StandardOpenOption mode, boolean sync) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, mode, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (sync) {
                ch.force(true);
            }
        }
    }

    private static void syncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
