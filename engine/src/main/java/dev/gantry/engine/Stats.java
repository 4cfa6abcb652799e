package dev.gantry.engine;

import dev.gantry.cgroups.CgroupStats;
import java.time.Instant;
import java.util.List;

/**
 * One sample of a container's resource usage ({@code docker stats}).
 *
 * @param id             the container's id
 * @param name           its name
 * @param read           when the sample was taken
 * @param cgroup         its cgroup's counters; every part empty when the container is not running
 * @param percpuNanos    CPU time used on each host CPU (empty where the host does not account it)
 * @param systemCpuNanos CPU time the whole host has used since boot (all CPUs, /proc/stat), the
 *                       denominator of a CPU percentage
 * @param onlineCpus     the host's online CPUs
 * @param hostMemory     the host's memory in bytes, the limit of a container without one
 */
public record Stats(String id, String name, Instant read, CgroupStats cgroup, List<Long> percpuNanos,
        long systemCpuNanos, int onlineCpus, long hostMemory) {
    public Stats {
        percpuNanos = List.copyOf(percpuNanos);
    }
}
