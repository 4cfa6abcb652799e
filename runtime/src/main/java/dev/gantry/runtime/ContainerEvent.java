package dev.gantry.runtime;

import dev.gantry.cgroups.CgroupStats;

/**
 * What {@link ContainerRuntime#events} reports about a running container: a {@link Stats}
 * snapshot of its cgroup at each interval, and an {@link Oom} each time the kernel's OOM
 * killer acted in its cgroup (runc's event types "stats" and "oom").
 */
public sealed interface ContainerEvent {
    /** The container the event is about. */
    String id();

    /** The cgroup's counters at one moment. */
    record Stats(String id, CgroupStats stats) implements ContainerEvent {}

    /** The memory cgroup ran out of memory: a process of the container was OOM-killed. */
    record Oom(String id) implements ContainerEvent {}
}
