package dev.gantry.cgroups.v1;

import dev.gantry.cgroups.CgroupFile;
import dev.gantry.oci.runtime.LinuxCpu;

import java.nio.file.Path;
import java.util.Map;

/**
 * The v1 cpu controller: CFS shares and bandwidth, burst, idle and the real-time budget.
 * Period is written before quota and the real-time period before the runtime, since each
 * second value is checked against the first.
 */
public final class CpuV1 {
    private final Path dir;

    public CpuV1(Path dir) {
        this.dir = dir;
    }

    public void apply(LinuxCpu cpu) {
        if (cpu == null) {
            return;
        }
        if (cpu.shares() != null && cpu.shares() != 0) {
            CgroupFile.write(dir, "cpu.shares", Long.toUnsignedString(cpu.shares()), "linux.resources.cpu.shares");
        }
        if (cpu.period() != null && cpu.period() != 0) {
            CgroupFile.write(dir, "cpu.cfs_period_us", Long.toUnsignedString(cpu.period()),
                    "linux.resources.cpu.period");
        }
        if (cpu.quota() != null && cpu.quota() != 0) {
            CgroupFile.write(dir, "cpu.cfs_quota_us", Long.toString(cpu.quota()), "linux.resources.cpu.quota");
        }
        if (cpu.burst() != null) {
            CgroupFile.write(dir, "cpu.cfs_burst_us", Long.toUnsignedString(cpu.burst()), "linux.resources.cpu.burst");
        }
        if (cpu.realtimePeriod() != null && cpu.realtimePeriod() != 0) {
            CgroupFile.write(dir, "cpu.rt_period_us", Long.toUnsignedString(cpu.realtimePeriod()),
                    "linux.resources.cpu.realtimePeriod");
        }
        if (cpu.realtimeRuntime() != null && cpu.realtimeRuntime() != 0) {
            CgroupFile.write(dir, "cpu.rt_runtime_us", Long.toString(cpu.realtimeRuntime()),
                    "linux.resources.cpu.realtimeRuntime");
        }
        if (cpu.idle() != null) {
            CgroupFile.write(dir, "cpu.idle", Long.toString(cpu.idle()), "linux.resources.cpu.idle");
        }
    }

    /** Throttling counters of {@code cpu.stat}: nr_periods, nr_throttled, throttled_time (ns). */
    public Map<String, Long> throttling() {
        return CgroupFile.readKeyed(dir, "cpu.stat");
    }
}
