package dev.gantry.cgroups.v2;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.oci.runtime.LinuxCpu;

import java.nio.file.Path;
import java.util.Map;

/**
 * The v2 cpu controller: {@code cpu.weight} from v1 shares, {@code cpu.max} for quota and
 * period, {@code cpu.max.burst}, {@code cpu.idle}. v2 has no real-time budget.
 */
public final class CpuV2 {
    private final Path dir;

    public CpuV2(Path dir) {
        this.dir = dir;
    }

    public void apply(LinuxCpu cpu) {
        if (cpu == null) {
            return;
        }
        if (cpu.shares() != null && cpu.shares() != 0) {
            CgroupFile.write(dir, "cpu.weight", Long.toString(weightOfShares(cpu.shares())),
                    "linux.resources.cpu.shares");
        }
        boolean quota = cpu.quota() != null && cpu.quota() != 0;
        boolean period = cpu.period() != null && cpu.period() != 0;
        if (quota || period) {
            String max = quota && cpu.quota() > 0 ? cpu.quota().toString() : "max";
            // "max" alone would keep the period; a quota without a period keeps it as well.
            String value = period ? max + " " + Long.toUnsignedString(cpu.period()) : max;
            CgroupFile.write(dir, "cpu.max", value, quota ? "linux.resources.cpu.quota" : "linux.resources.cpu.period");
        }
        if (cpu.burst() != null) {
            CgroupFile.write(dir, "cpu.max.burst", Long.toUnsignedString(cpu.burst()), "linux.resources.cpu.burst");
        }
        if (cpu.idle() != null) {
            CgroupFile.write(dir, "cpu.idle", cpu.idle().toString(), "linux.resources.cpu.idle");
        }
        if ((cpu.realtimeRuntime() != null && cpu.realtimeRuntime() != 0)
                || (cpu.realtimePeriod() != null && cpu.realtimePeriod() != 0)) {
            throw new GantryException(ErrorKind.UNAVAILABLE,
                    "linux.resources.cpu.realtimeRuntime/realtimePeriod have no cgroup v2 equivalent");
        }
    }

    /**
     * v1 shares [2, 262144] mapped linearly onto v2 weight [1, 10000]:
     * {@code weight = 1 + ((shares - 2) * 9999) / 262142}, the conversion documented in runc's
     * docs/cgroup-v2.md and used by crun, so a container gets the same weight under any of them.
     */
    public static long weightOfShares(long shares) {
        long clamped = Math.max(2, Math.min(262144, shares));
        return 1 + ((clamped - 2) * 9999) / 262142;
    }

    /** {@code cpu.stat}: usage, user, system in microseconds (converted), throttling counters. */
    public CgroupStats.Cpu stats() {
        Map<String, Long> stat = CgroupFile.readKeyed(dir, "cpu.stat");
        return new CgroupStats.Cpu(
                stat.getOrDefault("usage_usec", 0L) * 1000,
                stat.getOrDefault("user_usec", 0L) * 1000,
                stat.getOrDefault("system_usec", 0L) * 1000,
                stat.getOrDefault("nr_periods", 0L),
                stat.getOrDefault("nr_throttled", 0L),
                stat.getOrDefault("throttled_usec", 0L) * 1000);
    }
}
