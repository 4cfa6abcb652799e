package dev.gantry.cgroups;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.sys.CgroupSyscalls;
import dev.gantry.cgroups.v2.CpuV2;
import dev.gantry.cgroups.v2.DevicesV2;
import dev.gantry.cgroups.v2.FreezerV2;
import dev.gantry.cgroups.v2.HugetlbV2;
import dev.gantry.cgroups.v2.IoV2;
import dev.gantry.cgroups.v2.MemoryV2;
import dev.gantry.cgroups.v2.OomWatchV2;
import dev.gantry.cgroups.v2.UnifiedV2;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxResources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container cgroup on a cgroup v2 (unified) host: one directory. Controllers are enabled
 * in the ancestors' {@code cgroup.subtree_control} only when the resources need them, so a
 * container without limits changes nothing above its own directory.
 */
final class V2CgroupManager implements CgroupManager {
    private final CgroupsPath path;
    private final Path mount;
    private final Path dir;
    private final CgroupSyscalls sys;
    private final Duration oomPollInterval;
    private boolean killed;

    V2CgroupManager(CgroupsPath path, Path mount, CgroupSyscalls sys, Duration oomPollInterval) {
        this.path = path;
        this.mount = mount;
        this.dir = mount.resolve(path.relative());
        this.sys = sys;
        this.oomPollInterval = oomPollInterval;
    }

    @Override
    public CgroupsPath path() {
        return path;
    }

    @Override
    public CgroupPaths paths() {
        return new CgroupPaths(Map.of(), Optional.of(dir));
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(dir);
    }

    @Override
    public void create() {
        List<Path> created = new ArrayList<>();
        try {
            CgroupTree.createDirectories(mount, path, created);
        } catch (RuntimeException e) {
            CgroupTree.removeCreated(created, e);
            throw e;
        }
    }

    @Override
    public void apply(LinuxResources resources) {
        if (resources == null) {
            return;
        }
        CgroupTree.enableControllers(mount, dir, neededControllers(resources));
        new MemoryV2(dir).apply(resources.memory());
        LinuxCpu cpu = resources.cpu();
        if (cpu != null) {
            new CpusetController(dir).apply(cpu.cpus(), cpu.mems());
            new CpuV2(dir).apply(cpu);
        }
        new PidsController(dir).apply(resources.pids());
        new IoV2(dir).apply(resources.blockIO());
        new HugetlbV2(dir).apply(resources.hugepageLimits());
        new RdmaController(dir).apply(resources.rdma());
        if (resources.network() != null
                && (resources.network().classID() != null || resources.network().priorities() != null)) {
            throw new GantryException(ErrorKind.UNAVAILABLE,
                    "linux.resources.network: net_cls and net_prio do not exist on cgroup v2");
        }
        new DevicesV2(dir, sys).apply(resources.devices());
        // Last, so that explicit unified values win over converted OCI fields.
        new UnifiedV2(dir).apply(resources.unified());
    }

    /** Controller name to the OCI field that needs it. */
    private static Map<String, String> neededControllers(LinuxResources r) {
        Map<String, String> needed = new LinkedHashMap<>();
        if (r.memory() != null) {
            needed.put("memory", "linux.resources.memory");
        }
        if (r.cpu() != null) {
            LinuxCpu cpu = r.cpu();
            if (cpu.cpus() != null || cpu.mems() != null) {
                needed.put("cpuset", "linux.resources.cpu.cpus");
            }
            if (cpu.shares() != null || cpu.quota() != null || cpu.period() != null || cpu.burst() != null
                    || cpu.idle() != null) {
                needed.put("cpu", "linux.resources.cpu");
            }
        }
        if (r.pids() != null) {
            needed.put("pids", "linux.resources.pids");
        }
        if (r.blockIO() != null) {
            needed.put("io", "linux.resources.blockIO");
        }
        if (!r.hugepageLimitsOrEmpty().isEmpty()) {
            needed.put("hugetlb", "linux.resources.hugepageLimits");
        }
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            needed.put("rdma", "linux.resources.rdma");
        }
        for (String controller : UnifiedV2.controllers(r.unified())) {
            needed.putIfAbsent(controller, "linux.resources.unified");
        }
        return needed;
    }

    @Override
    public void addProcess(long pid) {
        if (killed) {
            throw GantryException.conflict("cgroup " + path + " was killed with cgroup.kill and is not reused");
        }
        CgroupFile.write(dir, "cgroup.procs", Long.toString(pid), "process " + pid);
    }

    @Override
    public int openUnifiedDirectory() {
        return sys.openDirectory(dir);
    }

    @Override
    public void freeze(Duration timeout) {
        new FreezerV2(dir).freeze(timeout);
    }

    @Override
    public void thaw(Duration timeout) {
        new FreezerV2(dir).thaw(timeout);
    }

    @Override
    public FreezerState freezerState() {
        return new FreezerV2(dir).state();
    }

    @Override
    public List<Long> pids() {
        return CgroupTree.pids(dir);
    }

    @Override
    public CgroupStats stats() {
        return new CgroupStats(
                CgroupFile.exists(dir, "memory.current") ? Optional.of(new MemoryV2(dir).stats()) : Optional.empty(),
                CgroupFile.exists(dir, "cpu.stat") ? Optional.of(new CpuV2(dir).stats()) : Optional.empty(),
                CgroupFile.exists(dir, "pids.current") ? Optional.of(new PidsController(dir).stats()) : Optional.empty(),
                CgroupFile.exists(dir, "io.stat") ? Optional.of(new IoV2(dir).stats()) : Optional.empty());
    }

    @Override
    public OomWatch watchOom() {
        if (!CgroupFile.exists(dir, "memory.events")) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "OOM notification: " + dir
                    + " has no memory.events (memory controller not enabled)");
        }
        return new OomWatchV2(dir, oomPollInterval);
    }

    @Override
    public void killAll(Duration timeout) {
        long deadline = CgroupTree.deadline(timeout);
        if (CgroupFile.exists(dir, "cgroup.kill")) {
            killed = true;
            CgroupFile.write(dir, "cgroup.kill", "1", "kill");
        } else {
            // Kernels before 5.14: freeze so that nothing forks while being signalled.
            FreezerV2 freezer = new FreezerV2(dir);
            freezer.freeze(timeout);
            try {
                for (long pid : pids()) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            } finally {
                freezer.thaw(timeout);
            }
        }
        CgroupTree.awaitEmpty(dir, deadline);
    }

    @Override
    public void destroy(Duration timeout) {
        CgroupTree.removeTree(dir, CgroupTree.deadline(timeout));
    }
}
