package dev.gantry.cgroups.v1;

import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.oci.runtime.LinuxMemory;

import java.nio.file.Path;
import java.util.Map;

/**
 * The v1 memory controller. OCI's {@code swap} is, on v1, the limit of memory plus swap
 * ({@code memory.memsw.limit_in_bytes}) — written as given. The kernel keeps
 * {@code limit <= memsw} at every moment, so the two are written in the order that never
 * violates it against the current values.
 */
public final class MemoryV1 {
    static final String LIMIT = "memory.limit_in_bytes";
    static final String MEMSW = "memory.memsw.limit_in_bytes";
    private final Path dir;

    public MemoryV1(Path dir) {
        this.dir = dir;
    }

    public void apply(LinuxMemory memory) {
        if (memory == null) {
            return;
        }
        Long limit = set(memory.limit()) ? memory.limit() : null;
        Long swap = set(memory.swap()) ? memory.swap() : null;
        if (Boolean.TRUE.equals(memory.checkBeforeUpdate()) && limit != null && limit > 0) {
            long usage = CgroupFile.readLong(dir, "memory.usage_in_bytes");
            if (usage > limit) {
                throw GantryException.invalid("linux.resources.memory.limit " + limit
                        + " is below the current usage " + usage + " (checkBeforeUpdate)");
            }
        }
        if (swap != null && limit != null && swapRaisesAboveCurrent(swap)) {
            writeSwap(swap);
            writeLimit(limit);
        } else {
            if (limit != null) {
                writeLimit(limit);
            }
            if (swap != null) {
                writeSwap(swap);
            }
        }
        if (set(memory.reservation())) {
            CgroupFile.write(dir, "memory.soft_limit_in_bytes", memory.reservation().toString(),
                    "linux.resources.memory.reservation");
        }
        if (set(memory.kernelTCP())) {
            CgroupFile.write(dir, "memory.kmem.tcp.limit_in_bytes", memory.kernelTCP().toString(),
                    "linux.resources.memory.kernelTCP");
        }
        // memory.kernel is not written: the spec deprecates it and kernels since 6.1 refuse
        // to enforce memory.kmem.limit_in_bytes (runc ignores it as well).
        if (memory.swappiness() != null) {
            long swappiness = memory.swappiness();
            if (swappiness < 0 || swappiness > 100) {
                throw GantryException.invalid("linux.resources.memory.swappiness "
                        + Long.toUnsignedString(swappiness) + " is outside 0..100");
            }
            CgroupFile.write(dir, "memory.swappiness", Long.toString(swappiness),
                    "linux.resources.memory.swappiness");
        }
        if (memory.disableOOMKiller() != null) {
            CgroupFile.write(dir, "memory.oom_control", memory.disableOOMKiller() ? "1" : "0",
                    "linux.resources.memory.disableOOMKiller");
        }
        if (memory.useHierarchy() != null) {
            CgroupFile.write(dir, "memory.use_hierarchy", memory.useHierarchy() ? "1" : "0",
                    "linux.resources.memory.useHierarchy");
        }
    }

    private boolean swapRaisesAboveCurrent(long swap) {
        if (!CgroupFile.exists(dir, MEMSW)) {
            return false;
        }
        long current = CgroupFile.readLong(dir, MEMSW);
        return swap == -1 || swap > current;
    }

    private void writeLimit(long limit) {
        CgroupFile.write(dir, LIMIT, Long.toString(limit), "linux.resources.memory.limit");
    }

    private void writeSwap(long swap) {
        CgroupFile.write(dir, MEMSW, Long.toString(swap), "linux.resources.memory.swap");
    }

    /** 0 means "not set" in OCI memory fields, as in runc. */
    private static boolean set(Long value) {
        return value != null && value != 0;
    }

    public CgroupStats.Memory stats() {
        Map<String, Long> stat = CgroupFile.readKeyed(dir, "memory.stat");
        long usage = CgroupFile.readLong(dir, "memory.usage_in_bytes");
        long swapUsage = CgroupFile.exists(dir, "memory.memsw.usage_in_bytes")
                ? Math.max(0, CgroupFile.readLong(dir, "memory.memsw.usage_in_bytes") - usage) : 0;
        long oomKills = CgroupFile.readKeyed(dir, "memory.oom_control").getOrDefault("oom_kill", 0L);
        return new CgroupStats.Memory(
                usage,
                CgroupFile.readLong(dir, "memory.max_usage_in_bytes"),
                unlimitedAsMax(CgroupFile.readLong(dir, LIMIT)),
                stat.getOrDefault("total_cache", stat.getOrDefault("cache", 0L)),
                swapUsage,
                oomKills,
                stat);
    }

    /** v1 prints "unlimited" as LONG_MAX rounded down to a page. */
    private static long unlimitedAsMax(long limit) {
        return limit >= Long.MAX_VALUE - 4096 * 1024L ? Long.MAX_VALUE : limit;
    }
}
