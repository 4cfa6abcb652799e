package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The one background thread that takes containers off their networks, off the path of whoever
 * stopped them.
 *
 * <p>Vocabulary. A <em>release</em> is the work that lets go of a container's network: CNI DEL of
 * its attachments, then its namespace pin. A container's <em>pending</em> release is the latest
 * one queued for it. Tasks run one at a time in the order they were queued, so waiting for a
 * task waits for every task queued before it.
 */
final class ReleaseQueue implements AutoCloseable {
    private final ExecutorService releaser = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("gantry-net-release").factory());
    private final Map<String, Future<?>> pending = new HashMap<>();

    /** Queues the container's release; it becomes the container's pending one. */
    void submit(String id, Runnable release) {
        synchronized (pending) {
            pending.values().removeIf(Future::isDone);
            pending.put(id, releaser.submit(release));
        }
    }

    /** Queues a task after every release queued so far. */
    void execute(Runnable task) {
        releaser.execute(task);
    }

    /** Waits until the container's pending release (if any) has run; its failure is its own to report. */
    void await(String id) {
        Future<?> f;
        synchronized (pending) {
            f = pending.get(id);
        }
        if (f != null) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GantryException(ErrorKind.INTERNAL, "interrupted while releasing the network of container " + id);
            } catch (ExecutionException e) {
                // reported by the task itself
            }
        }
    }

    /** Waits until every task queued so far has run. */
    void drain() {
        try {
            releaser.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new GantryException(ErrorKind.INTERNAL, "waiting for network releases: " + e.getMessage());
        }
    }

    /** Stops taking tasks and waits up to ten seconds for the queued ones to run. */
    @Override
    public void close() {
        releaser.shutdown();
        try {
            // A DEL cut short stays in the cache, and the next engine's collect finishes it.
            releaser.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
