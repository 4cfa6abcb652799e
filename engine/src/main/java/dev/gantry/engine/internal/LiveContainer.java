package dev.gantry.engine.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the engine holds for a container whose process runs: its init's pid and pidfd, the
 * pumps of its output, its input, its log, and {@link #done}, completed once the exit is recorded.
 * {@link #stopRequested} is set by stop, kill and remove: the restart policy then does not
 * apply to this exit.
 */
public final class LiveContainer {
    public final String id;
    public final int pid;
    public final int pidfd;
    public final long startedNanos;
    public final List<OutputPump> pumps;
    public final JsonFileLog log;
    /** The container's stdin FIFO or terminal master; null when it has neither. */
    public final ContainerInput input;
    public final CompletableFuture<Integer> done = new CompletableFuture<>();
    public volatile boolean stopRequested;

    public LiveContainer(String id, int pid, int pidfd, List<OutputPump> pumps, JsonFileLog log, ContainerInput input) {
        this.input = input;
        this.id = id;
        this.pid = pid;
        this.pidfd = pidfd;
        this.pumps = List.copyOf(pumps);
        this.log = log;
        this.startedNanos = System.nanoTime();
    }

    /** Waits for the output to end (at most {@code millis} in all), then closes the log. */
    public void drainOutput(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        for (OutputPump p : pumps) {
            p.awaitEnd(Math.max(1, deadline - System.currentTimeMillis()));
        }
        for (OutputPump p : pumps) {
            p.join();
        }
        releaseInput();
        log.close();
    }

    /** Stops the pumps at once (the engine closes; the container keeps running). */
    public void detachOutput() {
        pumps.forEach(OutputPump::stop);
        pumps.forEach(OutputPump::join);
        releaseInput();
        log.close();
    }

    private void releaseInput() {
        if (input != null) {
            input.release();
        }
    }
}
