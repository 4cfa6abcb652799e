package dev.gantry.content;

import dev.gantry.base.GantryException;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageIndex;
import dev.gantry.oci.image.ImageManifest;
import dev.gantry.oci.image.ManifestDocument;
import dev.gantry.oci.image.MediaType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mark and sweep over the content store. Marking starts at every {@link RootSet}'s descriptors
 * and follows manifests (config and layers) and indexes (their manifests). Sweeping deletes
 * every committed blob not marked. The store's collection lock is held for the whole pass, so
 * no blob can be committed between mark and sweep; callers add content to a lease before they
 * commit it, so what they write is a root by the time a collection can run.
 */
public final class GarbageCollector {
    private static final int DOCUMENT_LIMIT = 4 << 20;
    private final LocalContentStore store;
    private final List<RootSet> roots;

    public GarbageCollector(LocalContentStore store, List<RootSet> roots) {
        this.store = store;
        this.roots = List.copyOf(roots);
    }

    /** Result of one collection: blobs removed and bytes freed. */
    public record Result(List<Digest> removed, long bytesFreed) {
    }

    public Result collect() {
        store.collectionLock().writeLock().lock();
        try {
            Set<Digest> live = mark();
            List<Digest> removed = new ArrayList<>();
            long[] freed = {0};
            store.walk(info -> {
                if (!live.contains(info.digest())) {
                    store.delete(info.digest());
                    removed.add(info.digest());
                    freed[0] += info.size();
                }
            });
            return new Result(removed, freed[0]);
        } finally {
            store.collectionLock().writeLock().unlock();
        }
    }

    private Set<Digest> mark() {
        Set<Digest> live = new HashSet<>();
        Deque<Descriptor> work = new ArrayDeque<>();
        for (RootSet r : roots) {
            work.addAll(r.roots());
        }
        while (!work.isEmpty()) {
            Descriptor d = work.pop();
            if (!live.add(d.digest()) || store.info(d.digest()).isEmpty()) {
                continue;
            }
            String type = d.mediaType();
            if (type != null && (MediaType.isManifest(type) || MediaType.isIndex(type))) {
                children(d, work);
            }
        }
        return live;
    }

    private void children(Descriptor d, Deque<Descriptor> work) {
        ManifestDocument doc;
        try {
            doc = ManifestDocument.parse(store.readAll(d.digest(), DOCUMENT_LIMIT), d.mediaType());
        } catch (GantryException unreadable) {
            // A root that is not a valid manifest keeps itself alive but references nothing.
            return;
        }
        switch (doc) {
            case ImageManifest m -> {
                work.push(m.config());
                m.layers().forEach(work::push);
            }
            case ImageIndex i -> i.manifests().forEach(work::push);
        }
    }
}
