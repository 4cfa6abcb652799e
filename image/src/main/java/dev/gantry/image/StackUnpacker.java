package dev.gantry.image;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.content.Provider;
import dev.gantry.image.progress.ProgressEvent;
import dev.gantry.image.progress.ProgressListener;
import dev.gantry.oci.image.ChainId;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.snapshot.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Unpacks an image's layer stack into snapshots. Layers not yet unpacked are extracted
 * concurrently (at most one per processor), each into a parentless snapshot of its own, while
 * its blob may still be downloading; they are committed in order, each on its parent chain,
 * and only once that layer's blob is committed (digest and size verified). A failure, whether
 * of a download or of an extraction, discards every uncommitted extraction, so no snapshot
 * of an unverified blob ever becomes visible. Uncompressed sizes are recorded for save and
 * history.
 */
final class StackUnpacker {
    private final LayerUnpacker unpacker;
    private final ImageStore images;
    private final OperationGuard guard;

    StackUnpacker(LayerUnpacker unpacker, ImageStore images, OperationGuard guard) {
        this.unpacker = unpacker;
        this.images = images;
        this.guard = guard;
    }

    /** Where layer blobs come from: the store, or downloads still in progress. */
    interface LayerSource {
        /**
         * Layer {@code index}'s blob. The stream may deliver bytes while they are downloaded
         * (blocking for more); it ends only once the blob is committed and fails if it is not.
         */
        InputStream open(int index);

        /** Waits until layer {@code index}'s blob is committed; throws why it could not be. */
        void awaitCommitted(int index);

        /** Layers whose blobs are all in {@code content} already. */
        static LayerSource stored(Provider content, List<Descriptor> layers) {
            return new LayerSource() {
                @Override
                public InputStream open(int index) {
                    return content.open(layers.get(index).digest());
                }

                @Override
                public void awaitCommitted(int index) {
                    // Nothing to wait for.
                }
            };
        }
    }

    void unpack(LocalImage img, LayerSource source, ProgressListener progress) {
        List<Digest> diffIds = img.config().diffIds();
        List<Descriptor> layers = img.manifest().layers();
        if (diffIds.size() != layers.size()) {
            throw GantryException.invalid("image " + img.id().hex().substring(0, 12) + ": config lists " + diffIds.size()
                    + " diff IDs for " + layers.size() + " layers");
        }
        List<Digest> chain = ChainId.of(diffIds);
        Semaphore cpus = new Semaphore(Runtime.getRuntime().availableProcessors());
        List<Future<LayerUnpacker.Extracted>> extractions = new ArrayList<>();
        try (ExecutorService pool = Puller.newPool()) {
            for (int i = 0; i < layers.size(); i++) {
                if (unpacker.isUnpacked(chain.get(i))) {
                    extractions.add(null);
                    continue;
                }
                guard.claim(chain.get(i));
                int index = i;
                Descriptor layer = layers.get(i);
                extractions.add(pool.submit(() -> {
                    cpus.acquire();
                    try (InputStream in = source.open(index)) {
                        progress.onEvent(new ProgressEvent.Extracting(Puller.shortId(layer.digest())));
                        return unpacker.extract(diffIds.get(index), in);
                    } catch (IOException e) {
                        throw new GantryException(ErrorKind.INTERNAL, "reading layer " + layer.digest() + ": " + e.getMessage(), e);
                    } finally {
                        cpus.release();
                    }
                }));
            }
            commitInOrder(source, extractions, chain, diffIds, layers, progress);
        }
    }

    private void commitInOrder(LayerSource source, List<Future<LayerUnpacker.Extracted>> extractions, List<Digest> chain, List<Digest> diffIds,
                               List<Descriptor> layers, ProgressListener progress) {
        int i = 0;
        try {
            for (; i < extractions.size(); i++) {
                if (extractions.get(i) == null) {
                    continue;
                }
                // The blob's own failure (digest, size, transfer) is the one to report, not
                // the extraction's broken stream that follows from it.
                source.awaitCommitted(i);
                LayerUnpacker.Extracted e = Puller.await(extractions.get(i));
                unpacker.commit(e, i == 0 ? null : chain.get(i - 1), chain.get(i));
                images.putLayerSize(diffIds.get(i), e.uncompressedSize());
                progress.onEvent(new ProgressEvent.Extracted(Puller.shortId(layers.get(i).digest())));
            }
        } catch (RuntimeException failure) {
            // A failed extraction cleaned up after itself; a finished one whose blob failed to
            // verify, and all later ones, are discarded here.
            for (int j = i; j < extractions.size(); j++) {
                discardQuietly(extractions.get(j), failure);
            }
            throw failure;
        }
    }

    private void discardQuietly(Future<LayerUnpacker.Extracted> f, RuntimeException failure) {
        if (f == null) {
            return;
        }
        try {
            unpacker.discard(Puller.await(f));
        } catch (RuntimeException alsoFailed) {
            if (alsoFailed != failure) {
                failure.addSuppressed(alsoFailed);
            }
        }
    }
}
