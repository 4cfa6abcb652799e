package dev.gantry.cgroups.it;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupManager;
import dev.gantry.cgroups.CgroupMode;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.cgroups.FreezerState;
import dev.gantry.cgroups.OomWatch;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxPids;
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

/** The manager on this machine's real hybrid hierarchy, with real processes. */
@RequiresRoot
class HybridHostRootTest {
    private static final long MIB = 1024 * 1024;
    static Cgroups cgroups;

    @BeforeAll
    static void host() {
        cgroups = Cgroups.host();
        // CI runs on this project's machine kind, which is hybrid: there a skip would hide a tier.
        if ("true".equals(System.getenv("CI"))) {
            assertThat(cgroups.mode()).as("CI's host must be hybrid (v1 controllers + cgroup2)").isEqualTo(CgroupMode.HYBRID);
        }
        assumeTrue(cgroups.mode() == CgroupMode.HYBRID, "these tests describe a hybrid host");
    }

    static LinuxResources resources(LinuxMemory memory, LinuxCpu cpu, LinuxPids pids, List<LinuxDeviceCgroup> devices) {
        return new LinuxResources(devices, memory, cpu, pids, null, null, null, null, null);
    }

    static LinuxMemory memoryLimit(long bytes) {
        return new LinuxMemory(bytes, null, null, null, null, null, null, null, null);
    }

    static LinuxCpu quota(long quota, long period) {
        return new LinuxCpu(null, quota, null, period, null, null, null, null, null);
    }

    @Test
    void createMakesEveryHierarchyAndDestroyRemovesEverything() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.create();
            assertThat(cg.manager.paths().directories()).hasSize(9).allMatch(Files::isDirectory);
            Path cpuset = cg.manager.paths().controllers().get("cpuset");
            assertThat(Files.readString(cpuset.resolve("cpuset.cpus")).strip()).as("copied down").isNotEmpty();
            cg.manager.destroy(Duration.ofSeconds(5));
            assertThat(cg.manager.paths().directories()).noneMatch(Files::exists);
        }
    }

    @Test
    void aRuntimeThatCrashedMidCreateCleansUpWithAFreshManager() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.create();
            // Half a create: the cgroup exists in some hierarchies only.
            Files.delete(cg.manager.paths().controllers().get("pids"));
            Files.delete(cg.manager.paths().unified().orElseThrow());
            CgroupManager fresh = Cgroups.host().manager(cg.manager.path());
            assertThat(fresh.exists()).isFalse();
            fresh.destroy(Duration.ofSeconds(5));
            assertThat(cg.manager.paths().directories()).noneMatch(Files::exists);
        }
    }

    @Test
    void memoryLimitOomKillsAnAllocatingProcessAndTheWatchFires() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.createAndApply(resources(memoryLimit(32 * MIB), null, null, null));
            try (OomWatch watch = cg.manager.watchOom()) {
                // tail must keep the last 10 lines; /dev/zero has no newline, so it keeps all 100 MiB.
                Process hog = cg.startInside("head -c 100M /dev/zero | tail");
                long events = watch.await(Duration.ofSeconds(30));
                assertThat(events).as("OOM events").isGreaterThanOrEqualTo(1);
                assertThat(hog.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(hog.exitValue()).as("tail died of SIGKILL").isEqualTo(128 + 9);
            }
            CgroupStats.Memory memory = cg.manager.stats().memory().orElseThrow();
            assertThat(memory.limit()).isEqualTo(32 * MIB);
            assertThat(memory.oomKills()).isGreaterThanOrEqualTo(1);
            assertThat(memory.maxUsage()).isGreaterThan(30 * MIB).isLessThanOrEqualTo(32 * MIB);
        }
    }

    @Test
    void oomWatchWakesOnCloseAndReportsRemovalOfTheCgroup() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.createAndApply(resources(memoryLimit(32 * MIB), null, null, null));
            OomWatch watch = cg.manager.watchOom();
            long[] result = {-1};
            Thread waiter = Thread.ofPlatform().start(() -> result[0] = watch.await(Duration.ofSeconds(30)));
            Thread.sleep(100);
            long closedAt = System.nanoTime();
            watch.close();
            waiter.join(5_000);
            assertThat(waiter.isAlive()).isFalse();
            assertThat(result[0]).isZero();
            assertThat(System.nanoTime() - closedAt).isLessThan(Duration.ofSeconds(2).toNanos());

            try (OomWatch second = cg.manager.watchOom()) {
                cg.manager.destroy(Duration.ofSeconds(5));
                assertThatThrownBy(() -> second.await(Duration.ofSeconds(10)))
                        .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            }
        }
    }

    @Test
    void pidsMaxStopsForking() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.createAndApply(resources(null, null, new LinuxPids(5L), null));
            // The shell itself is one task; it tries to start 20 sleepers.
            Process bomb = cg.startInside("for i in $(seq 1 20); do sleep 60 & done; wait");
            Thread.sleep(500);
            CgroupStats.Pids pids = cg.manager.stats().pids().orElseThrow();
            assertThat(pids.limit()).isEqualTo(5);
            assertThat(pids.current()).isLessThanOrEqualTo(5);
            assertThat(cg.manager.pids()).hasSizeLessThanOrEqualTo(5);
            cg.manager.killAll(Duration.ofSeconds(10));
            assertThat(HostCgroup.output(bomb)).containsIgnoringCase("fork");
        }
    }

    @Test
    void cpuQuotaThrottlesABusyLoop() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            // 20 ms per 100 ms period: 20% of one CPU.
            cg.manager.createAndApply(resources(null, quota(20_000, 100_000), null, null));
            cg.startInside("while :; do :; done");
            Thread.sleep(1500);
            CgroupStats.Cpu cpu = cg.manager.stats().cpu().orElseThrow();
            assertThat(cpu.periods()).isGreaterThan(5);
            assertThat(cpu.throttledPeriods()).as("throttled periods").isGreaterThan(cpu.periods() / 2);
            assertThat(cpu.throttledNanos()).isPositive();
            // Counters, not wall time: the loop may use at most 20 ms per enforcement period
            // (plus one period of slack for the period in progress).
            assertThat(cpu.usageNanos()).isPositive()
                    .isLessThanOrEqualTo((cpu.periods() + 1) * 20_000_000L + 5_000_000L);
            assertThat(cpu.userNanos() + cpu.systemNanos()).isPositive();
        }
    }

    @Test
    void freezeStopsTheProcessAndThawLetsItContinue() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.createAndApply(resources(null, null, null, null));
            Process loop = cg.startInside("while :; do :; done");
            Thread.sleep(200);
            cg.manager.freeze(Duration.ofSeconds(5));
            assertThat(cg.manager.freezerState()).isEqualTo(FreezerState.FROZEN);
            assertThat(processState(loop.pid())).as("frozen task state").isEqualTo('D');
            long frozenAt = cg.manager.stats().cpu().orElseThrow().usageNanos();
            Thread.sleep(300);
            assertThat(cg.manager.stats().cpu().orElseThrow().usageNanos()).as("no CPU while frozen").isEqualTo(frozenAt);
            cg.manager.thaw(Duration.ofSeconds(5));
            assertThat(cg.manager.freezerState()).isEqualTo(FreezerState.THAWED);
            Thread.sleep(300);
            assertThat(cg.manager.stats().cpu().orElseThrow().usageNanos()).as("runs again").isGreaterThan(frozenAt);
            assertThat(loop.isAlive()).isTrue();
        }
    }

    /** The state letter of /proc/<pid>/stat (R, S, D, …), after the parenthesised command. */
    static char processState(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void updateChangesLimitsOfALiveCgroup() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.createAndApply(resources(memoryLimit(64 * MIB), null, new LinuxPids(10L), null));
            cg.startInside("sleep 60");
            cg.manager.update(resources(memoryLimit(128 * MIB), quota(50_000, 100_000), new LinuxPids(20L), null));
            CgroupStats stats = cg.manager.stats();
            assertThat(stats.memory().orElseThrow().limit()).isEqualTo(128 * MIB);
            assertThat(stats.pids().orElseThrow().limit()).isEqualTo(20);
            assertThat(Files.readString(cg.manager.paths().controllers().get("cpu").resolve("cpu.cfs_quota_us")).strip())
                    .isEqualTo("50000");
        }
    }

    @Test
    void aDeniedDeviceCannotBeOpenedInsideTheCgroup() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.createAndApply(resources(null, null, null, List.of(
                    new LinuxDeviceCgroup(true, "a", null, null, "rwm"),
                    new LinuxDeviceCgroup(false, "c", 1L, 3L, "rwm"))));
            Process probe = cg.startInside("(true </dev/null) && echo opened-null; (true </dev/zero) && echo opened-zero");
            String out = HostCgroup.output(probe);
            assertThat(out).doesNotContain("opened-null").contains("opened-zero")
                    .containsIgnoringCase("not permitted");
        }
        assertThat(Files.newInputStream(Path.of("/dev/null")).read()).as("outside the cgroup").isEqualTo(-1);
    }

    @Test
    void statsReflectMemoryUsageAndTasks() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.createAndApply(resources(null, null, null, null));
            // tail holds 20 MiB and then blocks reading the pipe while head sleeps.
            cg.startInside("(head -c 20M /dev/zero; sleep 60) | tail");
            long usage = 0;
            for (int i = 0; i < 50 && usage < 20 * MIB; i++) {
                Thread.sleep(100);
                usage = cg.manager.stats().memory().orElseThrow().usage();
            }
            assertThat(usage).isGreaterThanOrEqualTo(20 * MIB);
            CgroupStats stats = cg.manager.stats();
            assertThat(stats.pids().orElseThrow().current()).isGreaterThanOrEqualTo(3);
            assertThat(stats.cpu().orElseThrow().usageNanos()).isPositive();
            assertThat(stats.blkio()).isPresent();
            assertThat(cg.manager.pids()).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    /** Starts a shell and its two sleeps in {@code cg}, kills them all, and returns the shell (gone or going). */
    private static Process killAllOfThree(HostCgroup cg) throws Exception {
        cg.manager.createAndApply(resources(null, null, null, null));
        Process parent = cg.startInside("sleep 60 & sleep 60 & wait");
        Thread.sleep(200);
        assertThat(cg.manager.pids()).hasSize(3);
        cg.manager.killAll(Duration.ofSeconds(10));
        assertThat(cg.manager.pids()).isEmpty();
        return parent;
    }

    @Test
    void killAllUsesTheUnifiedDirectoryAndTheCgroupIsNotReused() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            Process parent = killAllOfThree(cg);
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(parent.exitValue()).isEqualTo(128 + 9);
            assertThatThrownBy(() -> cg.manager.addProcess(ProcessHandle.current().pid()))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        }
    }

    @Test
    void killAllOnV1AloneFreezesSignalsAndThaws() throws Exception {
        Cgroups v1Only = new Cgroups(cgroups.v1Mounts(), java.util.Optional.empty(),
                new dev.gantry.cgroups.sys.LinuxCgroupSyscalls());
        try (HostCgroup cg = HostCgroup.of(v1Only)) {
            Process parent = killAllOfThree(cg);
            assertThat(cg.manager.freezerState()).isEqualTo(FreezerState.THAWED);
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aValueTheKernelRefusesNamesFieldFileAndReasonAndLeavesNothing() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            // CFS refuses a quota below 1 ms.
            assertThatThrownBy(() -> cg.manager.createAndApply(resources(null, quota(500, 100_000), null, null)))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                    .hasMessageContaining("linux.resources.cpu.quota")
                    .hasMessageContaining("cpu.cfs_quota_us")
                    .hasMessageContaining("Invalid argument");
            assertThat(cg.manager.paths().directories()).noneMatch(Files::exists);
        }
    }

    @Test
    void hugetlbOnAHybridHostIsAppliedThroughCgroup2OrRefusedClearly() throws Exception {
        try (HostCgroup cg = HostCgroup.of(cgroups)) {
            cg.manager.create();
            Path unifiedRoot = cgroups.unifiedMount().orElseThrow();
            boolean wasEnabled = Files.readString(unifiedRoot.resolve("cgroup.subtree_control")).contains("hugetlb");
            try {
                cg.manager.apply(new LinuxResources(null, null, null, null, null,
                        List.of(new dev.gantry.oci.runtime.LinuxHugepageLimit("2MB", 4 * MIB)), null, null, null));
                Path unified = cg.manager.paths().unified().orElseThrow();
                assertThat(Files.readString(unified.resolve("hugetlb.2MB.max")).strip()).isEqualTo(Long.toString(4 * MIB));
            } finally {
                cg.manager.destroy(Duration.ofSeconds(5));
                Files.deleteIfExists(unifiedRoot.resolve(cg.manager.path().segments().getFirst()));
                if (!wasEnabled) {
                    Files.writeString(unifiedRoot.resolve("cgroup.subtree_control"), "-hugetlb");
                }
            }
        }
    }
}
