package dev.gantry.content;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.DigestAlgorithm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** A {@link Writer} over one ingest directory, holding an exclusive lock on its data file. */
final class IngestWriter implements Writer {
    private static final int OPEN_ATTEMPTS = 10;
    private final LocalContentStore store;
    private final Path dir;
    private final String ref;
    private final DigestAlgorithm algorithm;
    private final FileChannel channel;
    private final FileLock lock;
    private MessageDigest hasher;
    private long offset;
    private boolean closed;

    private IngestWriter(LocalContentStore store, Path dir, String ref, DigestAlgorithm algorithm,
                         FileChannel channel, FileLock lock) {
        this.store = store;
        this.dir = dir;
        this.ref = ref;
        this.algorithm = algorithm;
        this.channel = channel;
        this.lock = lock;
        this.hasher = algorithm.newHasher();
    }

    /**
     * Opens the ref's ingest, creating it if needed. The writer that held the ref before may be
     * removing the directory at this moment (it committed or was discarded); the directory or
     * a file then goes missing under this open (NoSuchFileException, or FileAlreadyExistsException
     * from createDirectories when the directory went between its two checks), and the open
     * starts again.
     */
    static IngestWriter open(LocalContentStore store, Path dir, String ref, long expectedSize, Digest expected) {
        for (int attempt = 1; ; attempt++) {
            try {
                return openOnce(store, dir, ref, expectedSize, expected);
            } catch (GantryException e) {
                boolean removedMeanwhile = e.getCause() instanceof NoSuchFileException
                        || e.getCause() instanceof FileAlreadyExistsException;
                if (!removedMeanwhile || attempt >= OPEN_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static IngestWriter openOnce(LocalContentStore store, Path dir, String ref, long expectedSize, Digest expected) {
        DigestAlgorithm algorithm = expected == null ? DigestAlgorithm.SHA256 : expected.algorithm();
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("ref"), ref, StandardCharsets.UTF_8);
            ch = FileChannel.open(dir.resolve("data"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                // Covers both other processes and other writers in this JVM (which get
                // OverlappingFileLockException), so one ref never has two writers.
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IngestLockedException(ref);
            }
            if (expectedSize >= 0) {
                Files.writeString(dir.resolve("total"), Long.toString(expectedSize));
            }
            IngestWriter w = new IngestWriter(store, dir, ref, algorithm, ch, lock);
            w.resume(expectedSize);
            return w;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new GantryException(ErrorKind.UNAVAILABLE, "opening ingest " + ref + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Continues an interrupted ingest: the hash state is not persisted, so the bytes already on
     * disk are hashed again (reading is much cheaper than downloading them again).
     */
    private void resume(long expectedSize) throws IOException {
        long existing = channel.size();
        if (existing == 0) {
            return;
        }
        if (expectedSize >= 0 && existing > expectedSize) {
            channel.truncate(0);
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        channel.position(0);
        int n;
        while ((n = channel.read(buf)) > 0) {
            hasher.update(buf.array(), 0, n);
            offset += n;
            buf.clear();
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        ensureOpen();
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "writing ingest " + ref + " at " + offset + ": " + e.getMessage(), e);
        }
        hasher.update(buf, off, len);
        offset += len;
    }

    @Override
    public OutputStream stream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                IngestWriter.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                IngestWriter.this.write(b, off, len);
            }
        };
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public Digest digest() {
        try {
            return Digest.of(algorithm, (MessageDigest) hasher.clone());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public FileChannel openReader() {
        ensureOpen();
        try {
            return FileChannel.open(dir.resolve("data"), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading ingest " + ref + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void reset() {
        ensureOpen();
        try {
            channel.truncate(0);
            channel.position(0);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "truncating ingest " + ref + ": " + e.getMessage(), e);
        }
        hasher = algorithm.newHasher();
        offset = 0;
    }

    @Override
    public Digest commit(long size, Digest expected) {
        ensureOpen();
        if (expected != null && expected.algorithm() != algorithm) {
            throw GantryException.invalid("commit " + ref + ": expected " + expected + " but the writer hashes " + algorithm.id());
        }
        Digest actual = digest();
        if (size >= 0 && size != offset) {
            discard();
            throw GantryException.invalid("commit " + ref + ": size " + offset + " does not match expected " + size);
        }
        if (expected != null && !expected.equals(actual)) {
            discard();
            throw GantryException.invalid("commit " + ref + ": digest " + actual + " does not match expected " + expected);
        }
        try {
            channel.force(true);
            store.publish(dir.resolve("data"), actual);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "committing " + ref + ": " + e.getMessage(), e);
        }
        // The data file is the blob now; a data file at that name from here on is another writer's.
        remove(false);
        return actual;
    }

    /** Removes the ingest (its data included) and releases the writer. */
    void discard() {
        remove(true);
    }

    /**
     * Removes this writer's files, then the directory, then releases the lock. Files go while
     * the lock is held: another writer of the same ref (a concurrent pull of the same blob)
     * cannot be writing yet, and one that opens the ref after a commit makes a data file of its
     * own, which is not touched here (its ref and total files, the same for every writer of the
     * ref, may be); if it made it before the directory went, the directory is left to it (a pull
     * finds the blob committed and aborts, which removes it).
     */
    private void remove(boolean ownData) {
        try {
            if (ownData) {
                Files.deleteIfExists(dir.resolve("data"));
            }
            Files.deleteIfExists(dir.resolve("total"));
            Files.deleteIfExists(dir.resolve("ref"));
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException taken) {
            // Another writer's files: see above.
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "removing ingest " + ref + ": " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases the lock as well.
        }
        closeQuietly(channel);
    }

    private void ensureOpen() {
        if (closed) {
            throw GantryException.conflict("ingest " + ref + ": writer already closed");
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing was buffered in Java; the kernel keeps what was written.
            }
        }
    }
}
