package dev.gantry.image;

import dev.gantry.content.Provider;
import dev.gantry.image.progress.ProgressEvent;
import dev.gantry.image.progress.ProgressListener;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Pushes an image: each layer and the config is checked with HEAD and, when missing, mounted
 * from the repository it was pulled from (same registry) or uploaded; then the manifest is
 * PUT with its exact stored bytes, so the registry's digest is the local one.
 */
final class Pusher {
    private final RegistryClient registry;
    private final Provider content;

    Pusher(RegistryClient registry, Provider content) {
        this.registry = registry;
        this.content = content;
    }

    Digest push(Reference target, LocalImage image, byte[] manifestBytes, PushOptions opts) {
        Reference source = image.record().source() == null ? null : Reference.parse(image.record().source());
        String mountFrom = source != null && source.domain().equals(target.domain()) && !source.path().equals(target.path())
                ? source.path() : null;
        List<Descriptor> blobs = new ArrayList<>(image.manifest().layers());
        blobs.add(image.manifest().config());
        try (ExecutorService pool = Puller.newPool()) {
            List<Future<Void>> uploads = new ArrayList<>();
            for (Descriptor d : blobs) {
                uploads.add(pool.submit(() -> {
                    pushBlob(target, d, mountFrom, opts);
                    return null;
                }));
            }
            uploads.forEach(Puller::await);
        }
        return registry.putManifest(target, manifestBytes, image.manifest().mediaType());
    }

    private void pushBlob(Reference target, Descriptor d, String mountFrom, PushOptions opts) {
        ProgressListener p = opts.progress();
        String id = Puller.shortId(d.digest());
        if (registry.blobExists(target, d.digest())) {
            p.onEvent(new ProgressEvent.Exists(id));
            return;
        }
        p.onEvent(new ProgressEvent.Started(id, d.size()));
        boolean mounted = registry.uploadBlob(target, d, () -> content.open(d.digest()), mountFrom, opts.chunkSize(),
                done -> p.onEvent(new ProgressEvent.Advanced(id, done, d.size())));
        p.onEvent(mounted ? new ProgressEvent.Mounted(id, mountFrom) : new ProgressEvent.Completed(id));
    }
}
