package dev.gantry.content;

import dev.gantry.oci.image.Digest;
import java.io.Closeable;
import java.io.OutputStream;
import java.nio.channels.FileChannel;

/**
 * One open ingest. Bytes appended here are hashed as they are written; {@link #commit} makes
 * the blob visible only if the total size and digest are what the caller expected.
 * {@link #close} without a commit keeps the partial data for a later resume.
 */
public interface Writer extends Closeable {

    /** Appends bytes at the current offset. */
    void write(byte[] buf, int off, int len);

    /** An output stream view that appends through {@link #write}. Closing it does not close the writer. */
    OutputStream stream();

    /** Number of bytes written so far, including those of a resumed ingest. */
    long offset();

    /** Digest of the bytes written so far (the writer's algorithm is the expected digest's, else sha256). */
    Digest digest();

    /**
     * A read-only channel on this ingest's data, so that another thread can consume the bytes
     * already written (positions below {@link #offset}) while writing goes on. It refers to the
     * file, not its name: it stays readable after commit, discard or close. The caller closes it.
     */
    FileChannel openReader();

    /** Discards everything written, restarting the ingest at offset 0. */
    void reset();

    /**
     * Verifies and publishes the blob: data is flushed to disk, size and digest are checked
     * ({@code size} < 0 and {@code expected} null skip a check), then the file is renamed
     * atomically into place. Committing content that already exists succeeds and discards the
     * ingest. On a mismatch the ingest is discarded and INVALID_ARGUMENT is thrown; the store is
     * unchanged. Returns the digest of the committed blob.
     */
    Digest commit(long size, Digest expected);

    /** Releases the ref; uncommitted data stays for a resume. */
    @Override
    void close();
}
