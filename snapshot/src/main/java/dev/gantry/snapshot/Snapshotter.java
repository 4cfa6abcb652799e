package dev.gantry.snapshot;

import java.util.List;
import java.util.function.Consumer;

/**
 * Snapshots of a file system tree, the storage under images and containers.
 *
 * <p>Vocabulary: a <em>key</em> names an <em>active</em> snapshot (writable, from
 * {@link #prepare}) or a <em>view</em> (read-only, from {@link #view}); a <em>name</em> names a
 * <em>committed</em> snapshot, which is immutable and can be the parent of others. For image
 * layers the name is the layer's chain ID, so a layer is unpacked once and shared by every image
 * whose stack starts with the same layers.
 *
 * <p>Importing a layer: {@code prepare("extract-<random>", parentChainId)}, apply the layer
 * into the returned mounts, {@code commit(chainId, "extract-<random>")}. Running a container:
 * {@code prepare(containerId, topChainId)} and mount what it returns.
 */
public interface Snapshotter {

    /** Creates an active snapshot {@code key} over {@code parent} (a committed name, or null). */
    List<Mount> prepare(String key, String parent);

    /** Creates a read-only view {@code key} of {@code parent}. */
    List<Mount> view(String key, String parent);

    /** The mounts that materialize an active snapshot or view. */
    List<Mount> mounts(String key);

    /** Turns the active snapshot {@code key} into the committed snapshot {@code name}. */
    void commit(String name, String key);

    /** Removes a snapshot; CONFLICT while another snapshot has it as parent. */
    void remove(String key);

    /** Metadata of one snapshot; NOT_FOUND when absent. */
    SnapshotInfo stat(String key);

    /** Disk use of the snapshot's own layer (not its parents). */
    Usage usage(String key);

    /** Calls {@code visitor} for every snapshot. */
    void walk(Consumer<SnapshotInfo> visitor);
}
