package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A container being put on its networks while its runtime creates it: the network namespace
 * the runtime must join (none when the runtime makes its own, or the mode has none: {@code host},
 * {@code none}, {@code container:}), and the CNI ADD under way in it.
 */
public final class Attaching {
    /** Nothing to join, nothing to wait for. */
    public static final Attaching NOTHING = new Attaching(null, CompletableFuture.completedFuture(null));

    private final Path netns;
    private final CompletableFuture<Void> added;

    Attaching(Path netns, CompletableFuture<Void> added) {
        this.netns = netns;
        this.added = added;
    }

    /** The pinned namespace file the spec's {@code network} namespace must name. */
    public Optional<Path> netns() {
        return Optional.ofNullable(netns);
    }

    /**
     * Waits until the container is on every network. On failure the exception names the network,
     * plugin or port, and the caller detaches the container (DEL, the namespace let go).
     */
    public void await() {
        try {
            added.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while attaching the container's networks");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new GantryException(ErrorKind.INTERNAL, "attaching the container's networks: " + e.getCause(), e.getCause());
        }
    }

    /** Waits until ADD ended, whatever its outcome: DEL must not start before it. */
    void settle() {
        added.handle((v, e) -> null).join();
    }
}
