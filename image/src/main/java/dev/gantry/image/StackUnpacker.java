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
 * concurrently (each as soon as its blob is available, at most one per processor) and
 * committed in order, each on its parent chain; a failure discards every uncommitted
 * extraction. Uncompressed sizes are recorded for save and history.
 */
final class StackUnpacker {
    private final Provider content;
    private final LayerUnpacker unpacker;
    private final ImageStore images;
    private final OperationGuard guard;

    StackUnpacker(Provider content, LayerUnpacker unpacker, ImageStore images, OperationGuard guard) {
        this.content = content;
        this.unpacker = unpacker;
        this.images = images;
        this.guard = guard;
    }

    /** Supplies layer {@code index}'s descriptor once its blob is in the content store (may block). */
    @FunctionalInterface
    interface LayerSource {
        Descriptor layer(int index);
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
                extractions.add(pool.submit(() -> {
                    Descriptor layer = source.layer(index);
                    cpus.acquire();
                    try (InputStream in = content.open(layer.digest())) {
                        progress.onEvent(new ProgressEvent.Extracting(Puller.shortId(layer.digest())));
                        return unpacker.extract(diffIds.get(index), in);
                    } catch (IOException e) {
                        throw new GantryException(ErrorKind.INTERNAL, "reading layer " + layer.digest() + ": " + e.getMessage(), e);
                    } finally {
                        cpus.release();
                    }
                }));
            }
            commitInOrder(extractions, chain, diffIds, layers, progress);
        }
    }

    private void commitInOrder(List<Future<LayerUnpacker.Extracted>> extractions, List<Digest> chain, List<Digest> diffIds,
                               List<Descriptor> layers, ProgressListener progress) {
        int i = 0;
        try {
            for (; i < extractions.size(); i++) {
                if (extractions.get(i) == null) {
                    continue;
                }
                LayerUnpacker.Extracted e = Puller.await(extractions.get(i));
                unpacker.commit(e, i == 0 ? null : chain.get(i - 1), chain.get(i));
                images.putLayerSize(diffIds.get(i), e.uncompressedSize());
                progress.onEvent(new ProgressEvent.Extracted(Puller.shortId(layers.get(i).digest())));
            }
        } catch (RuntimeException failure) {
            // The failed one cleaned up after itself; the later ones are discarded here.
            for (int j = i + 1; j < extractions.size(); j++) {
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
            failure.addSuppressed(alsoFailed);
        }
    }
}
