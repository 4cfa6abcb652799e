package dev.gantry.cgroups;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.sys.CgroupSyscalls;
import dev.gantry.cgroups.v1.BlkioV1;
import dev.gantry.cgroups.v1.CpuV1;
import dev.gantry.cgroups.v1.CpuacctV1;
import dev.gantry.cgroups.v1.CpusetV1;
import dev.gantry.cgroups.v1.DevicesV1;
import dev.gantry.cgroups.v1.FreezerV1;
import dev.gantry.cgroups.v1.HugetlbV1;
import dev.gantry.cgroups.v1.MemoryV1;
import dev.gantry.cgroups.v1.NetworkV1;
import dev.gantry.cgroups.v1.OomWatchV1;
import dev.gantry.cgroups.v2.FreezerV2;
import dev.gantry.cgroups.v2.HugetlbV2;
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
import java.util.TreeMap;

/**
 * A container cgroup on a v1 host, or on a hybrid host (v1 controllers plus a cgroup2
 * hierarchy). On a hybrid host the container also gets a cgroup2 directory: it carries the
 * controllers only v2 offers there (hugetlb on this machine), {@code unified} keys, atomic
 * {@code cgroup.kill}, and {@code CLONE_INTO_CGROUP}.
 */
final class V1CgroupManager implements CgroupManager {
    private final CgroupsPath path;
    /** Controller name to its hierarchy's mount point. */
    private final Map<String, Path> mounts;
    private final Optional<Path> unifiedMount;
    private final CgroupSyscalls sys;
    private boolean killed;

    V1CgroupManager(CgroupsPath path, Map<String, Path> mounts, Optional<Path> unifiedMount, CgroupSyscalls sys) {
        this.path = path;
        this.mounts = new TreeMap<>(mounts);
        this.unifiedMount = unifiedMount;
        this.sys = sys;
    }

    @Override
    public CgroupsPath path() {
        return path;
    }

    @Override
    public CgroupPaths paths() {
        Map<String, Path> dirs = new TreeMap<>();
        mounts.forEach((controller, mount) -> dirs.put(controller, mount.resolve(path.relative())));
        return new CgroupPaths(dirs, unifiedMount.map(m -> m.resolve(path.relative())));
    }

    @Override
    public boolean exists() {
        return paths().directories().stream().allMatch(Files::isDirectory);
    }

    @Override
    public void create() {
        List<Path> created = new ArrayList<>();
        try {
            for (Path mount : hierarchyRoots()) {
                CgroupTree.createDirectories(mount, path, created);
            }
            if (mounts.containsKey("cpuset")) {
                Path dir = mounts.get("cpuset");
                for (String segment : path.segments()) {
                    dir = dir.resolve(segment);
                    new CpusetV1(dir).inheritFromParent();
                }
            }
        } catch (RuntimeException e) {
            CgroupTree.removeCreated(created, e);
            throw e;
        }
    }

    /** Each distinct mount point once (co-mounted controllers share one), then cgroup2. */
    private List<Path> hierarchyRoots() {
        List<Path> roots = new ArrayList<>(mounts.values().stream().distinct().sorted().toList());
        unifiedMount.ifPresent(roots::add);
        return roots;
    }

    @Override
    public void apply(LinuxResources resources) {
        if (resources == null) {
            return;
        }
        if (resources.memory() != null) {
            new MemoryV1(dir("memory", "linux.resources.memory")).apply(resources.memory());
        }
        LinuxCpu cpu = resources.cpu();
        if (cpu != null) {
            if (cpu.cpus() != null || cpu.mems() != null) {
                new CpusetController(dir("cpuset", "linux.resources.cpu.cpus")).apply(cpu.cpus(), cpu.mems());
            }
            if (hasSchedulerSettings(cpu)) {
                new CpuV1(dir("cpu", "linux.resources.cpu")).apply(cpu);
            }
        }
        if (resources.pids() != null) {
            new PidsController(dir("pids", "linux.resources.pids")).apply(resources.pids());
        }
        if (resources.blockIO() != null) {
            new BlkioV1(dir("blkio", "linux.resources.blockIO")).apply(resources.blockIO());
        }
        if (!resources.hugepageLimitsOrEmpty().isEmpty()) {
            applyHugetlb(resources);
        }
        if (!resources.devicesOrEmpty().isEmpty()) {
            new DevicesV1(dir("devices", "linux.resources.devices")).apply(resources.devices());
        }
        if (resources.network() != null) {
            new NetworkV1(optionalDir("net_cls"), optionalDir("net_prio")).apply(resources.network());
        }
        if (resources.rdma() != null && !resources.rdma().isEmpty()) {
            new RdmaController(dir("rdma", "linux.resources.rdma")).apply(resources.rdma());
        }
        if (!resources.unifiedOrEmpty().isEmpty()) {
            Path unified = unifiedDir("linux.resources.unified");
            Map<String, String> fields = new LinkedHashMap<>();
            UnifiedV2.controllers(resources.unified()).forEach(c -> fields.put(c, "linux.resources.unified"));
            CgroupTree.enableControllers(unifiedMount.orElseThrow(), unified, fields);
            new UnifiedV2(unified).apply(resources.unified());
        }
    }

    private static boolean hasSchedulerSettings(LinuxCpu cpu) {
        return cpu.shares() != null || cpu.quota() != null || cpu.period() != null || cpu.burst() != null
                || cpu.realtimeRuntime() != null || cpu.realtimePeriod() != null || cpu.idle() != null;
    }

    /** hugetlb from its v1 hierarchy, or, on a hybrid host without one, from cgroup2. */
    private void applyHugetlb(LinuxResources resources) {
        String field = "linux.resources.hugepageLimits";
        if (mounts.containsKey("hugetlb")) {
            new HugetlbV1(dir("hugetlb", field)).apply(resources.hugepageLimits());
            return;
        }
        Path unified = unifiedDir(field);
        CgroupTree.enableControllers(unifiedMount.orElseThrow(), unified, Map.of("hugetlb", field));
        new HugetlbV2(unified).apply(resources.hugepageLimits());
    }

    @Override
    public void addProcess(long pid) {
        if (killed) {
            throw GantryException.conflict("cgroup " + path + " was killed with cgroup.kill and is not reused");
        }
        for (Path dir : paths().directories()) {
            CgroupFile.write(dir, "cgroup.procs", Long.toString(pid), "process " + pid);
        }
    }

    @Override
    public int openUnifiedDirectory() {
        return sys.openDirectory(unifiedDir("CLONE_INTO_CGROUP"));
    }

    @Override
    public void freeze(Duration timeout) {
        if (mounts.containsKey("freezer")) {
            new FreezerV1(dir("freezer", "freezer")).freeze(timeout);
        } else {
            new FreezerV2(unifiedDir("freezer")).freeze(timeout);
        }
    }

    @Override
    public void thaw(Duration timeout) {
        if (mounts.containsKey("freezer")) {
            new FreezerV1(dir("freezer", "freezer")).thaw(timeout);
        } else {
            new FreezerV2(unifiedDir("freezer")).thaw(timeout);
        }
    }

    @Override
    public FreezerState freezerState() {
        return mounts.containsKey("freezer")
                ? new FreezerV1(dir("freezer", "freezer")).state()
                : new FreezerV2(unifiedDir("freezer")).state();
    }

    @Override
    public List<Long> pids() {
        return CgroupTree.pids(membershipDir());
    }

    /** The hierarchy whose tree is read for membership: the one the freezer acts on. */
    private Path membershipDir() {
        for (String controller : List.of("freezer", "pids", "memory")) {
            if (mounts.containsKey(controller)) {
                return mounts.get(controller).resolve(path.relative());
            }
        }
        return paths().directories().iterator().next();
    }

    @Override
    public CgroupStats stats() {
        Optional<CgroupStats.Cpu> cpu = optionalDir("cpuacct").map(d -> new CpuacctV1(d).stats(
                optionalDir("cpu").map(c -> new CpuV1(c).throttling()).orElse(Map.of())));
        return new CgroupStats(
                optionalDir("memory").map(d -> new MemoryV1(d).stats()),
                cpu,
                optionalDir("pids").map(d -> new PidsController(d).stats()),
                optionalDir("blkio").map(d -> new BlkioV1(d).stats()));
    }

    @Override
    public OomWatch watchOom() {
        return new OomWatchV1(dir("memory", "OOM notification"), sys);
    }

    @Override
    public void killAll(Duration timeout) {
        long deadline = CgroupTree.deadline(timeout);
        Optional<Path> unified = unifiedMount.map(m -> m.resolve(path.relative()));
        if (unified.isPresent() && CgroupFile.exists(unified.get(), "cgroup.kill")) {
            killed = true;
            CgroupFile.write(unified.get(), "cgroup.kill", "1", "kill");
            CgroupTree.awaitEmpty(unified.get(), deadline);
        }
        // Processes that joined only the v1 hierarchies (or a v1-only host): freeze so none
        // can fork while being listed, signal each, then thaw so the signals are delivered.
        if (!pids().isEmpty()) {
            boolean freezer = mounts.containsKey("freezer");
            if (freezer) {
                freeze(timeout);
            }
            try {
                for (long pid : pids()) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            } finally {
                if (freezer) {
                    thaw(timeout);
                }
            }
            CgroupTree.awaitEmpty(membershipDir(), deadline);
        }
    }

    @Override
    public void destroy(Duration timeout) {
        long deadline = CgroupTree.deadline(timeout);
        for (Path dir : paths().directories()) {
            CgroupTree.removeTree(dir, deadline);
        }
    }

    private Path dir(String controller, String field) {
        Path mount = mounts.get(controller);
        if (mount == null) {
            throw new GantryException(ErrorKind.UNAVAILABLE, field + ": the host has no " + controller
                    + " cgroup controller mounted (v1 hierarchies: " + mounts.keySet() + ")");
        }
        return mount.resolve(path.relative());
    }

    private Optional<Path> optionalDir(String controller) {
        return Optional.ofNullable(mounts.get(controller)).map(m -> m.resolve(path.relative()));
    }

    private Path unifiedDir(String field) {
        return unifiedMount.map(m -> m.resolve(path.relative())).orElseThrow(() -> new GantryException(
                ErrorKind.UNAVAILABLE, field + " needs cgroup v2, and this host mounts only v1 hierarchies"));
    }
}
