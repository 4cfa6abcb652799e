package dev.gantry.image;

import java.util.List;

/** What a prune removed: image names, snapshots (chain IDs), and content bytes reclaimed. */
public record PruneReport(List<RemovedImage> images, List<String> snapshots, long spaceReclaimed) {
}
