package dev.gantry.engine.internal;

import dev.gantry.base.FileTrees;
import dev.gantry.base.GantryException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Deletes directory trees in the background, on one thread for the whole JVM: two engines
 * opened on the same root one after the other never delete the same tree at once. Only trees
 * nothing else will use again go here (a trash entry has a name never reused).
 */
public final class Reaper {
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("gantry-reaper").factory());

    private Reaper() {
    }

    /** Deletes {@code tree} later; a failure goes to {@code warn} (the next engine's open tries again). */
    public static void delete(Path tree, Consumer<String> warn) {
        THREAD.execute(() -> {
            try {
                FileTrees.delete(tree);
            } catch (GantryException e) {
                warn.accept("deleting " + tree + ": " + e.getMessage());
            }
        });
    }
}
