package dev.gantry.content;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.DigestAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The content store on a local file system:
 * <pre>
 * root/blobs/&lt;alg&gt;/&lt;hex&gt;        committed, read-only blobs
 * root/ingest/&lt;sha256(ref)&gt;/data   bytes of an ingest
 * root/ingest/&lt;sha256(ref)&gt;/ref    the ref itself (for listing)
 * root/ingest/&lt;sha256(ref)&gt;/total  expected size, when known
 * </pre>
 * Ingest and blobs live on one file system so that publishing is a rename(2), which is atomic:
 * a reader sees either no blob or the whole verified blob.
 */
public final class LocalContentStore implements ContentStore {
    private final Path blobs;
    private final Path ingest;
    /**
     * Commits hold the read side, the garbage collector the write side: a blob committed while
     * a collection marks would otherwise be swept before its owner could reference it.
     */
    private final ReadWriteLock collectionLock = new ReentrantReadWriteLock();

    public LocalContentStore(Path root) {
        this.blobs = root.resolve("blobs");
        this.ingest = root.resolve("ingest");
        try {
            for (DigestAlgorithm a : DigestAlgorithm.values()) {
                Files.createDirectories(blobs.resolve(a.id()));
            }
            Files.createDirectories(ingest);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "content store " + root + ": " + e.getMessage(), e);
        }
    }

    /** The file of a committed blob (it may not exist). */
    Path blobPath(Digest digest) {
        return blobs.resolve(digest.algorithm().id()).resolve(digest.hex());
    }

    ReadWriteLock collectionLock() {
        return collectionLock;
    }

    @Override
    public SeekableByteChannel openChannel(Digest digest) {
        try {
            return FileChannel.open(blobPath(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw GantryException.notFound("blob " + digest + ": not in the content store");
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "opening blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Writer writer(String ref, long expectedSize, Digest expected) {
        if (ref == null || ref.isEmpty()) {
            throw GantryException.invalid("ingest ref: empty");
        }
        return IngestWriter.open(this, ingestDir(ref), ref, expectedSize, expected);
    }

    Path ingestDir(String ref) {
        return ingest.resolve(Digest.sha256(ref).hex());
    }

    /** Publishes a verified ingest file; called by {@link IngestWriter#commit}. */
    void publish(Path data, Digest digest) throws IOException {
        collectionLock.readLock().lock();
        try {
            Path target = blobPath(digest);
            if (Files.exists(target)) {
                // Another writer committed the same content first; ours is redundant.
                Files.deleteIfExists(data);
                return;
            }
            Files.move(data, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            target.toFile().setReadOnly();
            fsyncDirectory(target.getParent());
        } finally {
            collectionLock.readLock().unlock();
        }
    }

    /** fsync(2) of a directory makes a rename in it durable across a crash. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public Optional<Info> info(Digest digest) {
        try {
            BasicFileAttributes a = Files.readAttributes(blobPath(digest), BasicFileAttributes.class);
            return Optional.of(new Info(digest, a.size(), a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "stat blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Digest digest) {
        try {
            if (!Files.deleteIfExists(blobPath(digest))) {
                throw GantryException.notFound("blob " + digest + ": not in the content store");
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "deleting blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void walk(Consumer<Info> visitor) {
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(blobs.resolve(a.id()))) {
                for (Path p : ds) {
                    Digest d;
                    try {
                        d = Digest.of(a, p.getFileName().toString());
                    } catch (GantryException notABlob) {
                        continue;
                    }
                    info(d).ifPresent(visitor);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public List<IngestStatus> ingests() {
        List<IngestStatus> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ingest)) {
            for (Path dir : ds) {
                status(dir).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "listing ingests: " + e.getMessage(), e);
        }
        return out;
    }

    private static Optional<IngestStatus> status(Path dir) {
        try {
            String ref = Files.readString(dir.resolve("ref"), StandardCharsets.UTF_8);
            Path data = dir.resolve("data");
            long offset = Files.exists(data) ? Files.size(data) : 0;
            Path totalFile = dir.resolve("total");
            long total = Files.exists(totalFile) ? Long.parseLong(Files.readString(totalFile).trim()) : -1;
            Instant updated = Files.getLastModifiedTime(Files.exists(data) ? data : dir).toInstant();
            return Optional.of(new IngestStatus(ref, offset, total, updated));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void abort(String ref) {
        Path dir = ingestDir(ref);
        if (!Files.isDirectory(dir)) {
            throw GantryException.notFound("ingest " + ref + ": none in progress");
        }
        try (Writer w = IngestWriter.open(this, dir, ref, -1, null)) {
            ((IngestWriter) w).discard();
        }
    }

    @Override
    public int pruneIngests(Duration olderThan) {
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        for (IngestStatus s : ingests()) {
            if (s.updatedAt().isBefore(cutoff)) {
                try {
                    abort(s.ref());
                    removed++;
                } catch (GantryException locked) {
                    // A writer resumed it meanwhile: it is alive, keep it.
                }
            }
        }
        return removed;
    }
}
