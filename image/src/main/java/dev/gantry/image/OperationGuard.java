package dev.gantry.image;

import dev.gantry.base.GantryException;
import dev.gantry.content.GarbageCollector;
import dev.gantry.content.Lease;
import dev.gantry.content.LeaseManager;
import dev.gantry.content.LocalContentStore;
import dev.gantry.oci.image.ChainId;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageConfig;
import dev.gantry.oci.image.ImageJson;
import dev.gantry.snapshot.OverlaySnapshotter;
import dev.gantry.snapshot.SnapshotInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Keeps the store consistent around operations that add content and snapshots (pull, load,
 * import). Each runs under its own content lease and registers the chain IDs it unpacks, so
 * neither a garbage collection nor a snapshot prune takes them while it runs. If it fails,
 * what it added that nothing else references is removed once its lease is gone: snapshots,
 * then blobs. An interrupted ingest stays in the ingest area for a resume; it is never a blob.
 */
final class OperationGuard {
    private static final Duration LEASE_TTL = Duration.ofHours(24);
    private final LeaseManager leases;
    private final ImageStore images;
    private final LocalContentStore content;
    private final OverlaySnapshotter snapshots;
    /** One set per running operation, compared by identity: equal contents are distinct operations. */
    private final List<Set<String>> inFlight = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Set<String>> current = new ThreadLocal<>();

    OperationGuard(LeaseManager leases, ImageStore images, LocalContentStore content, OverlaySnapshotter snapshots) {
        this.leases = leases;
        this.images = images;
        this.content = content;
        this.snapshots = snapshots;
    }

    <T> T run(String purpose, Function<Lease, T> op) {
        Set<String> mine = ConcurrentHashMap.newKeySet();
        inFlight.add(mine);
        current.set(mine);
        try {
            try (Lease lease = leases.create(purpose + "-" + UUID.randomUUID(), LEASE_TTL)) {
                return op.apply(lease);
            }
        } catch (RuntimeException e) {
            release(mine);
            try {
                removeUnusedSnapshots();
                collectGarbage();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        } finally {
            release(mine);
            current.remove();
        }
    }

    /** Registers {@code chainId} as being unpacked by the operation running on this thread. */
    void claim(Digest chainId) {
        Set<String> mine = current.get();
        if (mine != null) {
            mine.add(chainId.toString());
        }
    }

    private void release(Set<String> mine) {
        inFlight.removeIf(s -> s == mine);
    }

    GarbageCollector.Result collectGarbage() {
        return new GarbageCollector(content, List.of(images, leases)).collect();
    }

    /**
     * Removes committed snapshots that no image's chain needs and no other snapshot builds on,
     * leaves first, never those of a running operation.
     */
    synchronized List<String> removeUnusedSnapshots() {
        Set<String> needed = new HashSet<>();
        inFlight.forEach(needed::addAll);
        for (ImageRecord r : images.all()) {
            try {
                ImageConfig c = ImageJson.read(content.readAll(r.id(), LocalImages.DOCUMENT_LIMIT), ImageConfig.class, "config " + r.id());
                ChainId.of(c.diffIds()).forEach(d -> needed.add(d.toString()));
            } catch (GantryException missing) {
                // An image whose config is gone pins nothing.
            }
        }
        List<String> removed = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            List<SnapshotInfo> all = new ArrayList<>();
            snapshots.walk(all::add);
            Set<String> parents = new HashSet<>();
            all.stream().map(SnapshotInfo::parent).filter(java.util.Objects::nonNull).forEach(parents::add);
            for (SnapshotInfo s : all) {
                if (s.kind() == SnapshotInfo.Kind.COMMITTED && !needed.contains(s.name()) && !parents.contains(s.name())) {
                    snapshots.remove(s.name());
                    removed.add(s.name());
                    progress = true;
                }
            }
        }
        return removed;
    }
}
