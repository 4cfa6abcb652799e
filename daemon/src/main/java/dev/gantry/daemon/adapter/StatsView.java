package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.model.ContainerStats;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.engine.Stats;
import java.util.List;
import java.util.Map;

/** The engine's {@link Stats} samples in Docker's stats JSON shape. */
final class StatsView {
    /** Docker's zero time, which it sends as {@code preread} of a first sample. */
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private StatsView() {}

    /**
     * One stats message: {@code now} with {@code previous} (null for none) as its
     * {@code precpu_stats}, so that a client computes CPU % from the difference.
     */
    static ContainerStats of(Stats now, Stats previous) {
        CgroupStats c = now.cgroup();
        return new ContainerStats("/" + now.name(), now.id(), now.read().toString(),
                previous == null ? ZERO_TIME : previous.read().toString(),
                new ContainerStats.PidsStats(c.pids().map(CgroupStats.Pids::current).orElse(0L),
                        c.pids().map(p -> p.limit() == Long.MAX_VALUE ? 0L : p.limit()).orElse(0L)),
                blkio(c),
                0,
                cpu(now),
                previous == null ? new ContainerStats.CpuStats(new ContainerStats.CpuUsage(0, null, 0, 0), null, null, null)
                        : cpu(previous),
                memory(now),
                null);
    }

    private static ContainerStats.CpuStats cpu(Stats s) {
        CgroupStats.Cpu cpu = s.cgroup().cpu().orElse(null);
        if (cpu == null) {
            return new ContainerStats.CpuStats(new ContainerStats.CpuUsage(0, null, 0, 0), s.systemCpuNanos(),
                    s.onlineCpus(), new ContainerStats.Throttling(0, 0, 0));
        }
        return new ContainerStats.CpuStats(
                new ContainerStats.CpuUsage(cpu.usageNanos(), s.percpuNanos().isEmpty() ? null : s.percpuNanos(),
                        cpu.systemNanos(), cpu.userNanos()),
                s.systemCpuNanos(), s.onlineCpus(),
                new ContainerStats.Throttling(cpu.periods(), cpu.throttledPeriods(), cpu.throttledNanos()));
    }

    private static ContainerStats.MemoryStats memory(Stats s) {
        CgroupStats.Memory m = s.cgroup().memory().orElse(null);
        if (m == null) {
            return new ContainerStats.MemoryStats(null, null, null, null, null);
        }
        // An unlimited cgroup reports a near-2⁶³ limit; the host's memory is what bounds it (as dockerd shows).
        long limit = s.hostMemory() > 0 && m.limit() > s.hostMemory() ? s.hostMemory() : m.limit();
        return new ContainerStats.MemoryStats(m.usage(), m.maxUsage(), Map.copyOf(m.raw()), null, limit);
    }

    private static ContainerStats.BlkioStats blkio(CgroupStats c) {
        CgroupStats.Blkio b = c.blkio().orElse(null);
        if (b == null) {
            return new ContainerStats.BlkioStats(List.of(), List.of());
        }
        return new ContainerStats.BlkioStats(entries(b.bytes()), entries(b.operations()));
    }

    private static List<ContainerStats.BlkioEntry> entries(List<CgroupStats.BlkioEntry> in) {
        return in.stream().map(e -> new ContainerStats.BlkioEntry(e.major(), e.minor(), e.operation(), e.value())).toList();
    }
}
