package dev.gantry.cgroups.v1;

import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.CgroupStats;

import java.nio.file.Path;
import java.util.Map;

/** The v1 cpuacct controller: accounting only, nothing to apply. */
public final class CpuacctV1 {
    private final Path dir;

    public CpuacctV1(Path dir) {
        this.dir = dir;
    }

    /**
     * CPU time from {@code cpuacct.usage*} (nanoseconds), combined with the throttling
     * counters of the cpu hierarchy, which on some hosts (this one) is mounted apart.
     */
    public CgroupStats.Cpu stats(Map<String, Long> throttling) {
        return new CgroupStats.Cpu(
                CgroupFile.readLong(dir, "cpuacct.usage"),
                CgroupFile.readIfPresent(dir, "cpuacct.usage_user").map(Long::parseLong).orElse(0L),
                CgroupFile.readIfPresent(dir, "cpuacct.usage_sys").map(Long::parseLong).orElse(0L),
                throttling.getOrDefault("nr_periods", 0L),
                throttling.getOrDefault("nr_throttled", 0L),
                throttling.getOrDefault("throttled_time", 0L));
    }
}
