package dev.gantry.image;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.content.ContentStore;
import dev.gantry.content.IngestLockedException;
import dev.gantry.content.Lease;
import dev.gantry.content.Writer;
import dev.gantry.image.progress.ProgressEvent;
import dev.gantry.image.progress.ProgressListener;
import dev.gantry.image.registry.BlobResponse;
import dev.gantry.image.registry.FetchedManifest;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageIndex;
import dev.gantry.oci.image.ImageManifest;
import dev.gantry.oci.image.ManifestDocument;
import dev.gantry.oci.image.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Fetches an image from a registry into the content store: manifest (through an index when the
 * tag names one), config, then layers concurrently. Every blob streams straight into an ingest
 * whose commit verifies digest and size; an interrupted transfer resumes with a Range request
 * from the bytes already ingested. All content is added to the pull's lease before commit.
 */
final class Puller {
    private static final int DOCUMENT_LIMIT = 4 << 20;
    private final RegistryClient registry;
    private final ContentStore content;

    Puller(RegistryClient registry, ContentStore content) {
        this.registry = registry;
        this.content = content;
    }

    /** What was fetched: the platform manifest (descriptor and parsed) and the tag's digest. */
    record Fetched(Descriptor manifestDescriptor, ImageManifest manifest, Digest repoDigest) {
    }

    /** Fetches manifest and config; returns before layers are fetched. */
    Fetched resolve(Reference ref, PullOptions opts, Lease lease) {
        FetchedManifest top = registry.fetchManifest(ref);
        ManifestDocument doc = ManifestDocument.parse(top.bytes(), top.mediaType());
        FetchedManifest chosen = top;
        if (doc instanceof ImageIndex index) {
            Descriptor d = index.select(opts.platform()).orElseThrow(() -> GantryException.notFound(
                    "image " + ref + ": no manifest for platform " + opts.platform()));
            chosen = registry.fetchManifest(ref.withDigest(d.digest()));
            doc = ManifestDocument.parse(chosen.bytes(), d.mediaType());
            if (!(doc instanceof ImageManifest)) {
                throw GantryException.invalid("image " + ref + ": index entry " + d.digest() + " is not an image manifest");
            }
        }
        ImageManifest manifest = (ImageManifest) doc;
        for (Descriptor l : manifest.layers()) {
            if (!MediaType.isLayer(l.mediaType())) {
                throw GantryException.invalid("image " + ref + ": unsupported layer media type '" + l.mediaType() + "'");
            }
        }
        Descriptor md = Descriptor.of(manifest.mediaType(), chosen.digest(), chosen.bytes().length);
        lease.add(md);
        store(md, chosen.bytes());
        lease.add(manifest.config());
        if (content.info(manifest.config().digest()).isEmpty()) {
            if (manifest.config().size() > DOCUMENT_LIMIT) {
                throw GantryException.invalid("image " + ref + ": config of " + manifest.config().size() + " bytes is too large");
            }
            fetchBlob(ref, manifest.config(), ProgressListener.NONE, null);
        }
        return new Fetched(md, manifest, top.digest());
    }

    /**
     * Starts concurrent downloads of the layers. Each layer's bytes can be read while they
     * arrive ({@link Downloads#open}); its future completes once the blob is committed.
     */
    Downloads fetchLayers(Reference ref, ImageManifest manifest, Lease lease, ExecutorService pool,
                          int concurrency, ProgressListener progress) {
        Semaphore slots = new Semaphore(concurrency);
        List<Future<Descriptor>> out = new ArrayList<>();
        List<LayerFeed> feeds = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            lease.add(layer);
            LayerFeed feed = new LayerFeed(content, layer.digest());
            feeds.add(feed);
            out.add(pool.submit(() -> {
                try {
                    if (content.info(layer.digest()).isPresent()) {
                        progress.onEvent(new ProgressEvent.Exists(shortId(layer.digest())));
                    } else {
                        slots.acquire();
                        try {
                            fetchBlob(ref, layer, progress, feed);
                        } finally {
                            slots.release();
                        }
                    }
                    feed.committed();
                    return layer;
                } catch (Throwable t) {
                    feed.failed(t);
                    throw t;
                }
            }));
        }
        return new Downloads(out, feeds);
    }

    /** The layer downloads of one pull, as the unpacker consumes them; closing releases every ingest reader. */
    record Downloads(List<Future<Descriptor>> committed, List<LayerFeed> feeds) implements StackUnpacker.LayerSource,
            AutoCloseable {
        @Override
        public void close() {
            feeds.forEach(LayerFeed::close);
        }

        @Override
        public InputStream open(int index) {
            return feeds.get(index).stream();
        }

        @Override
        public void awaitCommitted(int index) {
            await(committed.get(index));
        }
    }

    static ExecutorService newPool() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GantryException g) {
                throw g;
            }
            throw new GantryException(ErrorKind.INTERNAL, "download failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.UNAVAILABLE, "pull interrupted");
        }
    }

    private void store(Descriptor d, byte[] bytes) {
        if (content.info(d.digest()).isPresent()) {
            return;
        }
        // Documents are small: a private ref each, no resume, no waiting on another pull.
        try (Writer w = content.writer("pull-doc-" + java.util.UUID.randomUUID(), bytes.length, d.digest())) {
            w.write(bytes, 0, bytes.length);
            w.commit(bytes.length, d.digest());
        }
    }

    /**
     * Streams one blob into the store, resuming after I/O failures from the ingest's offset.
     * A registry that ignores the Range header sends from 0, and the ingest restarts. Each
     * attempt's ingest is offered to {@code feed} (null when nobody reads along).
     */
    private void fetchBlob(Reference ref, Descriptor d, ProgressListener progress, LayerFeed feed) {
        String id = shortId(d.digest());
        progress.onEvent(new ProgressEvent.Started(id, d.size()));
        int attempts = registry.config().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            Writer opened = writerOrWait(d);
            if (opened == null) {
                if (feed != null) {
                    feed.detach();
                }
                progress.onEvent(new ProgressEvent.Exists(id));
                return;
            }
            try (Writer w = opened) {
                long offset = w.offset();
                if (feed != null) {
                    feed.attach(w.openReader(), offset);
                }
                if (offset < d.size()) {
                    BlobResponse r = registry.openBlob(ref, d, offset);
                    if (r.offset() != offset) {
                        if (feed != null) {
                            feed.reset();
                        }
                        w.reset();
                    }
                    copy(r.body(), w, d, id, progress, feed);
                }
                w.commit(d.size(), d.digest());
                progress.onEvent(new ProgressEvent.Completed(id));
                return;
            } catch (IOException e) {
                if (attempt >= attempts) {
                    throw new GantryException(ErrorKind.UNAVAILABLE, "blob " + d.digest() + ": transfer failed after "
                            + attempts + " attempts: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * The ingest writer for {@code d}, or null once the blob is committed. While another pull
     * (in this process or another) holds the ref, this one waits for it rather than fetching
     * the same bytes twice; if that pull fails, its ref is released and this one takes over.
     */
    private Writer writerOrWait(Descriptor d) {
        long backoffMillis = 10;
        while (true) {
            if (content.info(d.digest()).isPresent()) {
                return null;
            }
            try {
                Writer w = content.writer("pull-" + d.digest(), d.size(), d.digest());
                if (content.info(d.digest()).isEmpty()) {
                    return w;
                }
                // The pull we waited for committed just before we took the ref: drop the empty
                // ingest this writer created, unless another pull has taken the ref meanwhile.
                ((java.io.Closeable) w).close();
                try {
                    content.abort("pull-" + d.digest());
                } catch (IngestLockedException taken) {
                    // that pull owns it now, and finds the blob committed as we did
                } catch (GantryException gone) {
                    if (gone.kind() != ErrorKind.NOT_FOUND) {
                        throw gone;
                    }
                }
                return null;
            } catch (java.io.IOException closing) {
                throw new GantryException(ErrorKind.INTERNAL, "closing ingest of " + d.digest() + ": " + closing.getMessage(), closing);
            } catch (IngestLockedException busy) {
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GantryException(ErrorKind.UNAVAILABLE, "pull interrupted waiting for " + d.digest());
                }
                backoffMillis = Math.min(500, backoffMillis * 2);
            }
        }
    }

    private static void copy(InputStream body, Writer w, Descriptor d, String id, ProgressListener progress,
                             LayerFeed feed) throws IOException {
        byte[] buf = new byte[1 << 17];
        try (InputStream in = body) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (w.offset() + n > d.size()) {
                    throw GantryException.invalid("blob " + d.digest() + ": registry sent more than the "
                            + d.size() + " bytes its descriptor declares");
                }
                w.write(buf, 0, n);
                if (feed != null) {
                    feed.written(w.offset());
                }
                progress.onEvent(new ProgressEvent.Advanced(id, w.offset(), d.size()));
            }
        }
    }

    static String shortId(Digest d) {
        return d.hex().substring(0, 12);
    }
}
