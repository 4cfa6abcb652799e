package dev.gantry.cgroups;

import dev.gantry.cgroups.sys.LinuxCgroupSyscalls;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupsDetectTest {
    /** This machine's mountinfo: v1 controllers, a named systemd hierarchy and cgroup2 beside them. */
    static final String HYBRID = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    @Test
    void hybridHostHasV1ControllersAndTheUnifiedMount() {
        Cgroups cgroups = Cgroups.parse(HYBRID, new LinuxCgroupSyscalls());
        assertThat(cgroups.mode()).isEqualTo(CgroupMode.HYBRID);
        assertThat(cgroups.v1Mounts()).containsOnlyKeys("cpu", "cpuacct", "cpuset", "memory", "devices",
                "freezer", "blkio", "pids");
        assertThat(cgroups.v1Mounts().get("memory")).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
        assertThat(cgroups.unifiedMount()).contains(Path.of("/sys/fs/cgroup/unified"));
    }

    @Test
    void hybridManagerHasOneDirectoryPerHierarchyAndTheUnifiedOne() {
        CgroupManager manager = Cgroups.parse(HYBRID, new LinuxCgroupSyscalls())
                .manager(CgroupsPath.of("/gantry/c1", "c1"));
        CgroupPaths paths = manager.paths();
        assertThat(paths.controllers().get("pids")).isEqualTo(Path.of("/sys/fs/cgroup/pids/gantry/c1"));
        assertThat(paths.unified()).contains(Path.of("/sys/fs/cgroup/unified/gantry/c1"));
        assertThat(paths.directories()).hasSize(9);
    }

    @Test
    void pureV2Host() {
        Cgroups cgroups = Cgroups.parse(
                "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n",
                new LinuxCgroupSyscalls());
        assertThat(cgroups.mode()).isEqualTo(CgroupMode.V2);
        CgroupPaths paths = cgroups.manager(CgroupsPath.of(null, "c2")).paths();
        assertThat(paths.controllers()).isEmpty();
        assertThat(paths.unified()).contains(Path.of("/sys/fs/cgroup/gantry/c2"));
    }

    @Test
    void coMountedV1ControllersShareADirectoryAndEscapesAreDecoded() {
        Cgroups cgroups = Cgroups.parse("""
                25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw shared:9 - cgroup cgroup rw,cpu,cpuacct
                26 24 0:23 / /sys/fs/cgroup/my\\040memory rw shared:10 - cgroup cgroup rw,memory
                """, new LinuxCgroupSyscalls());
        assertThat(cgroups.mode()).isEqualTo(CgroupMode.V1);
        assertThat(cgroups.unifiedMount()).isEqualTo(Optional.empty());
        assertThat(cgroups.v1Mounts().get("cpu")).isEqualTo(cgroups.v1Mounts().get("cpuacct"));
        assertThat(cgroups.v1Mounts().get("memory")).isEqualTo(Path.of("/sys/fs/cgroup/my memory"));
        assertThat(cgroups.manager(CgroupsPath.of("/x", "x")).paths().directories()).hasSize(2);
    }
}
