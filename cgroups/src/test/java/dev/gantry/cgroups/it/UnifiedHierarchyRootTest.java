package dev.gantry.cgroups.it;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.cgroups.FreezerState;
import dev.gantry.cgroups.sys.LinuxCgroupSyscalls;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.testkit.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The v2 code path on a child of this host's cgroup2 hierarchy: freeze and thaw through
 * cgroup.freeze/cgroup.events, cgroup.kill, and an eBPF device program attached with bpf(2).
 */
@RequiresRoot
class UnifiedHierarchyRootTest {
    static Cgroups cgroups;

    @BeforeAll
    static void host() {
        cgroups = Cgroups.host();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(cgroups.unifiedMount()).as("CI's host must mount cgroup2").isPresent();
        }
        assumeTrue(cgroups.unifiedMount().isPresent(), "needs a cgroup2 hierarchy");
    }

    @Test
    void freezeAndThawThroughCgroupFreezeAndEvents() throws Exception {
        try (HostCgroup cg = HostCgroup.unified(cgroups)) {
            cg.manager.create();
            Process loop = cg.startInside("while :; do :; done");
            Path dir = cg.manager.paths().unified().orElseThrow();
            assertThat(CgroupFile.readKeyed(dir, "cgroup.events")).containsEntry("populated", 1L);
            cg.manager.freeze(Duration.ofSeconds(5));
            assertThat(CgroupFile.readKeyed(dir, "cgroup.events")).containsEntry("frozen", 1L);
            assertThat(cg.manager.freezerState()).isEqualTo(FreezerState.FROZEN);
            long usage = CgroupFile.readKeyed(dir, "cpu.stat").get("usage_usec");
            Thread.sleep(300);
            assertThat(CgroupFile.readKeyed(dir, "cpu.stat").get("usage_usec")).as("no CPU while frozen").isEqualTo(usage);
            cg.manager.thaw(Duration.ofSeconds(5));
            assertThat(cg.manager.freezerState()).isEqualTo(FreezerState.THAWED);
            Thread.sleep(300);
            assertThat(CgroupFile.readKeyed(dir, "cpu.stat").get("usage_usec")).isGreaterThan(usage);
            assertThat(loop.isAlive()).isTrue();
        }
    }

    @Test
    void cgroupKillEndsTheSubtreeAndPopulatedDropsToZero() throws Exception {
        try (HostCgroup cg = HostCgroup.unified(cgroups)) {
            cg.manager.create();
            Process parent = cg.startInside("sleep 60 & sleep 60 & wait");
            Thread.sleep(200);
            assertThat(cg.manager.pids()).hasSize(3);
            cg.manager.killAll(Duration.ofSeconds(10));
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(parent.exitValue()).isEqualTo(128 + 9);
            Path dir = cg.manager.paths().unified().orElseThrow();
            assertThat(CgroupFile.readKeyed(dir, "cgroup.events")).containsEntry("populated", 0L);
            assertThatThrownBy(() -> cg.manager.addProcess(parent.pid()))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        }
    }

    @Test
    void eBpfDeviceProgramDeniesDevNullAndAllowsTheRest() throws Exception {
        try (HostCgroup cg = HostCgroup.unified(cgroups)) {
            cg.manager.createAndApply(new LinuxResources(List.of(
                    new LinuxDeviceCgroup(true, "a", null, null, "rwm"),
                    new LinuxDeviceCgroup(false, "c", 1L, 3L, "rwm")), null, null, null, null, null, null, null, null));
            Process probe = cg.startInside("(true </dev/null) && echo opened-null; (true </dev/zero) && echo opened-zero");
            String out = HostCgroup.output(probe);
            assertThat(out).doesNotContain("opened-null").contains("opened-zero").containsIgnoringCase("not permitted");

            // An update replaces the program: now /dev/null is allowed and /dev/zero refused.
            cg.manager.update(new LinuxResources(List.of(
                    new LinuxDeviceCgroup(true, "a", null, null, "rwm"),
                    new LinuxDeviceCgroup(false, "c", 1L, 5L, "rwm")), null, null, null, null, null, null, null, null));
            int dir = cg.manager.openUnifiedDirectory();
            LinuxCgroupSyscalls sys = new LinuxCgroupSyscalls();
            try {
                assertThat(sys.bpfProgramQuery(dir, 6)).as("exactly one program attached").hasSize(1);
            } finally {
                sys.close(dir);
            }
            Process second = cg.startInside("(true </dev/null) && echo opened-null; (true </dev/zero) && echo opened-zero");
            assertThat(HostCgroup.output(second)).contains("opened-null").doesNotContain("opened-zero");
        }
        assertThat(Files.newInputStream(Path.of("/dev/zero")).read()).as("outside the cgroup").isZero();
    }

    @Test
    void unifiedDirectoryDescriptorIsADirectoryFd() throws Exception {
        try (HostCgroup cg = HostCgroup.unified(cgroups)) {
            cg.manager.create();
            int fd = cg.manager.openUnifiedDirectory();
            try {
                assertThat(fd).isGreaterThan(2);
                assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)))
                        .isEqualTo(cg.manager.paths().unified().orElseThrow());
            } finally {
                new LinuxCgroupSyscalls().close(fd);
            }
        }
    }

    @Test
    void memoryLimitOnAHierarchyWithoutMemoryIsUnavailable() throws Exception {
        try (HostCgroup cg = HostCgroup.unified(cgroups)) {
            assumeTrue(!Files.readString(cgroups.unifiedMount().orElseThrow().resolve("cgroup.controllers")).contains("memory"));
            assertThatThrownBy(() -> cg.manager.createAndApply(new LinuxResources(null,
                    new dev.gantry.oci.runtime.LinuxMemory(1L << 25, null, null, null, null, null, null, null, null),
                    null, null, null, null, null, null, null)))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                    .hasMessageContaining("linux.resources.memory").hasMessageContaining("no memory controller");
            assertThat(cg.manager.exists()).isFalse();
        }
    }
}
