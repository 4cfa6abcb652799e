package dev.gantry.cgroups.v2;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.oci.runtime.LinuxMemory;

import java.nio.file.Path;
import java.util.Map;

/**
 * The v2 memory controller. OCI's {@code swap} keeps its v1 meaning (memory plus swap), but
 * v2's {@code memory.swap.max} limits swap alone, so it is converted as runc does: swap minus
 * limit, "max" for -1, and an error when a swap limit comes without a memory limit.
 */
public final class MemoryV2 {
    private final Path dir;

    public MemoryV2(Path dir) {
        this.dir = dir;
    }

    public void apply(LinuxMemory memory) {
        if (memory == null) {
            return;
        }
        long limit = memory.limit() == null ? 0 : memory.limit();
        long swap = memory.swap() == null ? 0 : memory.swap();
        long swapOnly = swapMax(swap, limit);
        if (Boolean.TRUE.equals(memory.checkBeforeUpdate()) && limit > 0) {
            long usage = CgroupFile.readLong(dir, "memory.current");
            if (usage > limit) {
                throw GantryException.invalid("linux.resources.memory.limit " + limit
                        + " is below the current usage " + usage + " (checkBeforeUpdate)");
            }
        }
        // Swap first: with a lower memory.max the kernel may start reclaiming into swap.
        if (swapOnly != 0) {
            CgroupFile.write(dir, "memory.swap.max", max(swapOnly), "linux.resources.memory.swap");
        }
        if (limit != 0) {
            CgroupFile.write(dir, "memory.max", max(limit), "linux.resources.memory.limit");
        }
        if (memory.reservation() != null && memory.reservation() != 0) {
            CgroupFile.write(dir, "memory.low", max(memory.reservation()), "linux.resources.memory.reservation");
        }
        if (memory.swappiness() != null) {
            throw unsupported("linux.resources.memory.swappiness");
        }
        if (Boolean.TRUE.equals(memory.disableOOMKiller())) {
            throw unsupported("linux.resources.memory.disableOOMKiller");
        }
        if (memory.kernelTCP() != null && memory.kernelTCP() != 0) {
            throw unsupported("linux.resources.memory.kernelTCP");
        }
    }

    /**
     * Converts OCI's memory+swap to v2's swap-only limit: 0 stays "not set", -1 "max"; when
     * memory is unlimited and swap not set, swap becomes unlimited too, the v1 meaning.
     */
    static long swapMax(long swap, long limit) {
        if (limit == -1 && swap == 0) {
            return -1;
        }
        if (swap == -1 || swap == 0) {
            return swap;
        }
        if (limit == 0 || limit == -1) {
            throw GantryException.invalid("linux.resources.memory.swap " + swap
                    + " needs a memory limit: on cgroup v2 swap is limited apart from memory");
        }
        if (swap < limit) {
            throw GantryException.invalid("linux.resources.memory.swap " + swap
                    + " (memory+swap) is below linux.resources.memory.limit " + limit);
        }
        return swap - limit;
    }

    private static String max(long value) {
        return value == -1 ? "max" : Long.toString(value);
    }

    private static GantryException unsupported(String field) {
        return new GantryException(ErrorKind.UNAVAILABLE, field + " has no cgroup v2 equivalent");
    }

    public CgroupStats.Memory stats() {
        Map<String, Long> stat = CgroupFile.readKeyed(dir, "memory.stat");
        Map<String, Long> events = CgroupFile.readKeyed(dir, "memory.events");
        return new CgroupStats.Memory(
                CgroupFile.readLong(dir, "memory.current"),
                CgroupFile.exists(dir, "memory.peak") ? CgroupFile.readLong(dir, "memory.peak") : 0,
                CgroupFile.readLong(dir, "memory.max"),
                stat.getOrDefault("file", 0L),
                CgroupFile.exists(dir, "memory.swap.current") ? CgroupFile.readLong(dir, "memory.swap.current") : 0,
                events.getOrDefault("oom_kill", 0L),
                stat);
    }
}
