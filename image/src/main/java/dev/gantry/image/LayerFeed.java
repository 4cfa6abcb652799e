package dev.gantry.image;

import dev.gantry.base.BulkInputStream;
import dev.gantry.content.Provider;
import dev.gantry.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One layer blob as its download writes it into the ingest, so that extraction can run while
 * the transfer goes on. The download side reports each step ({@link #attach}, {@link #written},
 * {@link #reset}, {@link #detach}, then {@link #committed} or {@link #failed}); the reading side,
 * {@link #stream}, reads the ingest file up to the bytes written so far and blocks for more.
 * The stream ends only after the blob's digest and size verified, and fails as soon as the
 * download failed, so an extraction built on it can never finish on unverified bytes.
 * Reading the file rather than a pipe keeps the download from ever waiting on a slower
 * extraction (the page cache is the buffer, bounded by the blob itself on disk).
 */
final class LayerFeed {
    private final Provider content;
    private final Digest digest;
    private FileChannel channel;
    private long written;
    private boolean committed;
    private Throwable failure;
    private boolean closed;

    LayerFeed(Provider content, Digest digest) {
        this.content = content;
        this.digest = digest;
    }

    /** A download attempt holds the ingest: {@code reader} reads it, {@code offset} bytes are already there. */
    synchronized void attach(FileChannel reader, long offset) {
        if (closed) {
            closeQuietly(reader);
            return;
        }
        closeQuietly(channel);
        channel = reader;
        written = offset;
        notifyAll();
    }

    /** Another pull committed the blob: what this download wrote is no longer read. */
    synchronized void detach() {
        closeQuietly(channel);
        channel = null;
    }

    /** Releases the ingest reader, whether or not a stream was opened (the layer may need no extraction). */
    synchronized void close() {
        closed = true;
        closeQuietly(channel);
        channel = null;
    }

    private static void closeQuietly(FileChannel reader) {
        if (reader == null) {
            return;
        }
        try {
            reader.close();
        } catch (IOException ignored) {
            // A read-only channel: closing it cannot lose data.
        }
    }

    /** The ingest now holds {@code offset} bytes. */
    synchronized void written(long offset) {
        written = offset;
        notifyAll();
    }

    /** The ingest restarts from 0 (the registry ignored a Range request); called before it is truncated. */
    synchronized void reset() {
        written = 0;
    }

    /** The blob is in the store, verified. */
    synchronized void committed() {
        committed = true;
        notifyAll();
    }

    /** The download gave up; a reader fails with {@code why}. */
    synchronized void failed(Throwable why) {
        failure = why;
        notifyAll();
    }

    /** The bytes of the blob in order; see the class comment. Closing it releases the ingest reader. */
    InputStream stream() {
        return new BulkInputStream() {
            private long position;
            private InputStream stored;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (stored != null) {
                    return stored.read(b, off, len);
                }
                synchronized (LayerFeed.this) {
                    while (true) {
                        if (failure != null) {
                            throw new IOException("download of " + digest + " failed: " + failure.getMessage(), failure);
                        }
                        if (channel != null && position < written) {
                            // Read under the lock: attach() may replace and close the channel.
                            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, written - position)), position);
                            if (n <= 0) {
                                throw new IOException("ingest of " + digest + " is shorter than the " + written + " bytes written");
                            }
                            position += n;
                            return n;
                        }
                        if (committed) {
                            if (channel != null) {
                                return -1;
                            }
                            // Committed by another pull, or already present: continue from the store.
                            stored = content.open(digest);
                            stored.skipNBytes(position);
                            break;
                        }
                        try {
                            LayerFeed.this.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("waiting for " + digest);
                        }
                    }
                }
                return stored.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (stored != null) {
                    stored.close();
                }
                synchronized (LayerFeed.this) {
                    closed = true;
                    closeQuietly(channel);
                }
            }
        };
    }
}
