package dev.gantry.engine;

import java.util.List;

/** What a prune removed: container ids or volume names, and the bytes of disk freed. */
public record PruneResult(List<String> removed, long spaceReclaimed) {
    public PruneResult {
        removed = List.copyOf(removed);
    }
}
