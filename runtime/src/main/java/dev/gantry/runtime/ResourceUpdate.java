package dev.gantry.runtime;

import dev.gantry.oci.runtime.Linux;
import dev.gantry.oci.runtime.LinuxBlockIo;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxResources;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arithmetic of {@code update}: which values to write to a live cgroup, and what the
 * container's resources are afterwards. A field absent (null) from the request keeps its
 * current value; lists (devices, per-device block I/O rules, hugepage limits) given in the
 * request replace the current ones; {@code unified} and {@code rdma} entries are merged key
 * by key. Public so that an engine's own update (docker update) keeps the same rules.
 */
public final class ResourceUpdate {
    private ResourceUpdate() {}

    /**
     * The request as it must be written. One value is added: when the request sets a memory
     * limit but no swap limit and the container's swap limit equals its memory limit (swap
     * disabled, as Docker configures it), the swap limit follows the new memory limit, so
     * swap stays disabled and a raised limit is not refused by v1's rule that
     * {@code memory.limit_in_bytes <= memory.memsw.limit_in_bytes}.
     */
    public static LinuxResources effective(LinuxResources current, LinuxResources request) {
        LinuxMemory m = request.memory();
        LinuxMemory cur = current == null ? null : current.memory();
        if (m == null || m.limit() == null || m.swap() != null || cur == null || cur.limit() == null
                || !cur.limit().equals(cur.swap())) {
            return request;
        }
        LinuxMemory withSwap = new LinuxMemory(m.limit(), m.reservation(), m.limit(), m.kernel(), m.kernelTCP(),
                m.swappiness(), m.disableOOMKiller(), m.useHierarchy(), m.checkBeforeUpdate());
        return new LinuxResources(request.devices(), withSwap, request.cpu(), request.pids(), request.blockIO(),
                request.hugepageLimits(), request.network(), request.rdma(), request.unified());
    }

    /** The container's resources after {@code change} was applied to {@code current} (either may be null). */
    public static LinuxResources merge(LinuxResources current, LinuxResources change) {
        if (current == null) {
            return change;
        }
        if (change == null) {
            return current;
        }
        return new LinuxResources(
                or(change.devices(), current.devices()),
                memory(current.memory(), change.memory()),
                cpu(current.cpu(), change.cpu()),
                or(change.pids(), current.pids()),
                blockIo(current.blockIO(), change.blockIO()),
                or(change.hugepageLimits(), current.hugepageLimits()),
                or(change.network(), current.network()),
                maps(current.rdma(), change.rdma()),
                maps(current.unified(), change.unified()));
    }

    private static LinuxMemory memory(LinuxMemory a, LinuxMemory b) {
        if (a == null || b == null) {
            return or(b, a);
        }
        return new LinuxMemory(or(b.limit(), a.limit()), or(b.reservation(), a.reservation()), or(b.swap(), a.swap()),
                or(b.kernel(), a.kernel()), or(b.kernelTCP(), a.kernelTCP()), or(b.swappiness(), a.swappiness()),
                or(b.disableOOMKiller(), a.disableOOMKiller()), or(b.useHierarchy(), a.useHierarchy()),
                or(b.checkBeforeUpdate(), a.checkBeforeUpdate()));
    }

    private static LinuxCpu cpu(LinuxCpu a, LinuxCpu b) {
        if (a == null || b == null) {
            return or(b, a);
        }
        return new LinuxCpu(or(b.shares(), a.shares()), or(b.quota(), a.quota()), or(b.burst(), a.burst()),
                or(b.period(), a.period()), or(b.realtimeRuntime(), a.realtimeRuntime()),
                or(b.realtimePeriod(), a.realtimePeriod()), or(b.cpus(), a.cpus()), or(b.mems(), a.mems()),
                or(b.idle(), a.idle()));
    }

    private static LinuxBlockIo blockIo(LinuxBlockIo a, LinuxBlockIo b) {
        if (a == null || b == null) {
            return or(b, a);
        }
        return new LinuxBlockIo(or(b.weight(), a.weight()), or(b.leafWeight(), a.leafWeight()),
                or(b.weightDevice(), a.weightDevice()), or(b.throttleReadBpsDevice(), a.throttleReadBpsDevice()),
                or(b.throttleWriteBpsDevice(), a.throttleWriteBpsDevice()),
                or(b.throttleReadIOPSDevice(), a.throttleReadIOPSDevice()),
                or(b.throttleWriteIOPSDevice(), a.throttleWriteIOPSDevice()));
    }

    private static <V> Map<String, V> maps(Map<String, V> a, Map<String, V> b) {
        if (a == null || b == null) {
            return or(b, a);
        }
        Map<String, V> out = new LinkedHashMap<>(a);
        out.putAll(b);
        return out;
    }

    private static <T> T or(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    /** {@code linux} with its resources replaced. */
    public static Linux withResources(Linux l, LinuxResources resources) {
        return new Linux(l.uidMappings(), l.gidMappings(), l.sysctl(), resources, l.cgroupsPath(), l.namespaces(),
                l.devices(), l.seccomp(), l.rootfsPropagation(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel(),
                l.intelRdt(), l.personality(), l.timeOffsets(), l.netDevices(), l.memoryPolicy());
    }
}
