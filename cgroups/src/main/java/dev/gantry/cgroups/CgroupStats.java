package dev.gantry.cgroups;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a container cgroup's counters; a part is empty when the host has no such
 * controller for the cgroup (for example memory on this host's cgroup2 hierarchy).
 */
public record CgroupStats(
        Optional<Memory> memory,
        Optional<Cpu> cpu,
        Optional<Pids> pids,
        Optional<Blkio> blkio) {

    /**
     * Memory in bytes. {@code limit} is {@link Long#MAX_VALUE} when unlimited;
     * {@code maxUsage} is 0 where the kernel keeps no high-water mark; {@code oomKills}
     * counts processes the OOM killer killed in this cgroup; {@code raw} is the whole of
     * {@code memory.stat}.
     */
    public record Memory(long usage, long maxUsage, long limit, long cache, long swapUsage,
                         long oomKills, Map<String, Long> raw) {
    }

    /**
     * CPU time in nanoseconds, and CFS bandwidth throttling: {@code periods} enforcement
     * intervals elapsed, {@code throttledPeriods} of them throttled, for {@code throttledNanos}.
     */
    public record Cpu(long usageNanos, long userNanos, long systemNanos,
                      long periods, long throttledPeriods, long throttledNanos) {
    }

    /** Tasks in the cgroup and its limit ({@link Long#MAX_VALUE} when unlimited). */
    public record Pids(long current, long limit) {
    }

    /** Block I/O per device: bytes and operations, each entry an operation ("Read", "Write"…). */
    public record Blkio(List<BlkioEntry> bytes, List<BlkioEntry> operations) {
    }

    /** One counter of one device. */
    public record BlkioEntry(long major, long minor, String operation, long value) {
    }
}
