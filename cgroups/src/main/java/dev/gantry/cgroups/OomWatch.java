package dev.gantry.cgroups;

import java.time.Duration;

/**
 * A subscription to out-of-memory events of one container cgroup, opened by
 * {@link CgroupManager#watchOom()}.
 *
 * <p>{@link #await} blocks in the kernel (v1: an eventfd registered through
 * {@code cgroup.event_control}; v2: the {@code oom_kill} counter of {@code memory.events}),
 * so run it on a platform thread, never on a virtual thread. {@link #close} may be called
 * from any thread and wakes a waiting {@link #await}, which then returns 0.
 */
public interface OomWatch extends AutoCloseable {
    /**
     * Waits up to {@code timeout} for OOM events and returns how many happened since the
     * previous call (0 when the timeout passed or the watch was closed).
     *
     * @throws dev.gantry.base.GantryException NOT_FOUND once the cgroup has been removed
     */
    long await(Duration timeout);

    @Override
    void close();
}
