package dev.gantry.cgroups;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxPids;
import dev.gantry.oci.runtime.LinuxResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.gantry.cgroups.FakeCgroupDir.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagerOnTempHierarchyTest {
    @TempDir
    Path tmp;

    private static LinuxResources resources(LinuxMemory memory, LinuxPids pids, Map<String, String> unified) {
        return new LinuxResources(null, memory, null, pids, null, null, null, null, unified);
    }

    @Test
    void hybridAppliesV1ControllersAndUnifiedKeysAndDestroysEverything() throws Exception {
        Path memory = Files.createDirectories(tmp.resolve("memory"));
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        Path unified = FakeCgroupDir.at(tmp.resolve("unified"), "cgroup.controllers", "hugetlb\n",
                "cgroup.subtree_control", "\n");
        Cgroups cgroups = new Cgroups(Map.of("memory", memory, "pids", pids), Optional.of(unified), new RecordingSyscalls());
        CgroupManager manager = cgroups.manager(CgroupsPath.of("/gantry/c1", "c1"));
        manager.create();
        assertThat(manager.exists()).isTrue();
        Path memoryDir = FakeCgroupDir.withFiles(memory.resolve("gantry/c1"), "memory.limit_in_bytes");
        Path pidsDir = FakeCgroupDir.withFiles(pids.resolve("gantry/c1"), "pids.max");
        Path unifiedDir = FakeCgroupDir.withFiles(unified.resolve("gantry/c1"), "hugetlb.2MB.max");
        FakeCgroupDir.at(unified.resolve("gantry"), "cgroup.subtree_control", "\n");

        manager.apply(resources(new LinuxMemory(1048576L, null, null, null, null, null, null, null, null),
                new LinuxPids(-1L), Map.of("hugetlb.2MB.max", "0")));
        assertThat(read(memoryDir, "memory.limit_in_bytes")).isEqualTo("1048576");
        assertThat(read(pidsDir, "pids.max")).isEqualTo("max");
        assertThat(read(unifiedDir, "hugetlb.2MB.max")).isEqualTo("0");
        // hugetlb was enabled from the cgroup2 root down to the container's parent
        assertThat(read(unified, "cgroup.subtree_control")).isEqualTo("+hugetlb");
        assertThat(read(unified.resolve("gantry"), "cgroup.subtree_control")).isEqualTo("+hugetlb");

        removeInterfaceFiles(memoryDir, pidsDir, unifiedDir);
        manager.destroy(Duration.ofSeconds(1));
        assertThat(memory.resolve("gantry/c1")).doesNotExist();
        assertThat(unified.resolve("gantry/c1")).doesNotExist();
        assertThat(memory.resolve("gantry")).as("the default parent stays").isDirectory();
    }

    /** rmdir of a real cgroup takes its interface files along; a temp directory must be emptied. */
    private static void removeInterfaceFiles(Path... dirs) throws Exception {
        for (Path dir : dirs) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void aMissingControllerIsUnavailableNamingTheField() throws Exception {
        Path memory = Files.createDirectories(tmp.resolve("memory"));
        Cgroups cgroups = new Cgroups(Map.of("memory", memory), Optional.empty(), new RecordingSyscalls());
        CgroupManager manager = cgroups.manager(CgroupsPath.of("/c", "c"));
        assertThatThrownBy(() -> manager.apply(resources(null, new LinuxPids(10L), null)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("linux.resources.pids").hasMessageContaining("no pids cgroup controller");
        assertThatThrownBy(() -> manager.apply(resources(null, null, Map.of("memory.high", "1"))))
                .hasMessageContaining("linux.resources.unified needs cgroup v2");
    }

    @Test
    void failedCreateAndApplyLeavesNothingBehind() throws Exception {
        Path memory = Files.createDirectories(tmp.resolve("memory"));
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        Cgroups cgroups = new Cgroups(Map.of("memory", memory, "pids", pids), Optional.empty(), new RecordingSyscalls());
        CgroupManager manager = cgroups.manager(CgroupsPath.of("/gantry/c2", "c2"));
        // The temp directories have no memory.limit_in_bytes: apply fails after create succeeded.
        assertThatThrownBy(() -> manager.createAndApply(resources(
                new LinuxMemory(1L << 20, null, null, null, null, null, null, null, null), null, null)))
                .isInstanceOf(GantryException.class).hasMessageContaining("linux.resources.memory.limit");
        assertThat(memory.resolve("gantry/c2")).doesNotExist();
        assertThat(pids.resolve("gantry/c2")).doesNotExist();
    }

    @Test
    void createRemovesWhatItMadeWhenALaterHierarchyFails() throws Exception {
        Path memory = Files.createDirectories(tmp.resolve("a-memory"));
        Path broken = Files.writeString(tmp.resolve("b-pids"), "not a directory");
        Cgroups cgroups = new Cgroups(Map.of("memory", memory, "pids", broken), Optional.empty(), new RecordingSyscalls());
        CgroupManager manager = cgroups.manager(CgroupsPath.of("/gantry/c3", "c3"));
        assertThatThrownBy(manager::create).isInstanceOf(GantryException.class).hasMessageContaining("b-pids");
        assertThat(memory.resolve("gantry")).doesNotExist();
    }

    @Test
    void v2EnablesOnlyNeededControllersAndRefusesAbsentOnes() throws Exception {
        Path root = FakeCgroupDir.at(tmp.resolve("v2"), "cgroup.controllers", "cpu memory pids\n",
                "cgroup.subtree_control", "memory\n");
        Cgroups cgroups = new Cgroups(Map.of(), Optional.of(root), new RecordingSyscalls());
        assertThat(cgroups.mode()).isEqualTo(CgroupMode.V2);
        CgroupManager manager = cgroups.manager(CgroupsPath.of("/c4", "c4"));
        manager.create();
        Path dir = FakeCgroupDir.withFiles(root.resolve("c4"), "pids.max", "memory.max");
        manager.apply(resources(new LinuxMemory(4096L, null, null, null, null, null, null, null, null),
                new LinuxPids(5L), null));
        assertThat(read(root, "cgroup.subtree_control")).as("memory was on; only pids added").isEqualTo("+pids");
        assertThat(read(dir, "pids.max")).isEqualTo("5");
        assertThat(read(dir, "memory.max")).isEqualTo("4096");
        assertThatThrownBy(() -> manager.apply(resources(null, null, Map.of("io.max", "8:0 rbps=1"))))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("no io controller");
        removeInterfaceFiles(dir);
        manager.destroy(Duration.ofSeconds(1));
        assertThat(dir).doesNotExist();
    }

    @Test
    void pidsListsTheWholeSubtree() throws Exception {
        Path root = FakeCgroupDir.at(tmp.resolve("v2"), "cgroup.controllers", "\n");
        Path dir = FakeCgroupDir.at(root.resolve("c5"), "cgroup.procs", "30\n10\n");
        FakeCgroupDir.at(dir.resolve("sub"), "cgroup.procs", "20\n");
        CgroupManager manager = new Cgroups(Map.of(), Optional.of(root), new RecordingSyscalls())
                .manager(CgroupsPath.of("/c5", "c5"));
        assertThat(manager.pids()).containsExactly(10L, 20L, 30L);
    }
}
