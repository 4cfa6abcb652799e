package dev.gantry.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host-wide counters a stats sample is measured against: total CPU time from
 * {@code /proc/stat} (proc(5): the first line sums every CPU, in USER_HZ ticks), the online
 * CPUs (its {@code cpuN} lines), the memory from {@code /proc/meminfo}, and a v1 cgroup's
 * per-CPU time ({@code cpuacct.usage_percpu}, nanoseconds).
 */
public final class HostCpu {
    /** USER_HZ is 100 on every Linux architecture Gantry runs on (proc(5), sysconf(_SC_CLK_TCK)). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    public record Sample(long systemCpuNanos, int onlineCpus) {
    }

    private HostCpu() {
    }

    public static Sample sample(Path procStat) {
        return parse(read(procStat).orElse(""));
    }

    static Sample parse(String stat) {
        long total = 0;
        int cpus = 0;
        for (String line : stat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                // user nice system idle iowait irq softirq steal; guest time is already in user (proc(5)).
                for (int i = 1; i < f.length && i <= 8; i++) {
                    total += Long.parseLong(f[i]);
                }
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        return new Sample(total * NANOS_PER_TICK, Math.max(cpus, 1));
    }

    public static long memoryBytes(Path meminfo) {
        for (String line : read(meminfo).orElse("").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    /** The per-CPU nanoseconds of {@code cpuacct.usage_percpu}, or empty when the file is absent. */
    public static List<Long> percpu(Path usagePercpu) {
        List<Long> out = new ArrayList<>();
        for (String f : read(usagePercpu).orElse("").trim().split("\\s+")) {
            if (!f.isEmpty()) {
                out.add(Long.parseLong(f));
            }
        }
        return out;
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
