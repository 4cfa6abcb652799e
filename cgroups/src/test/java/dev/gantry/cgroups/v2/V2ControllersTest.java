package dev.gantry.cgroups.v2;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.cgroups.FakeCgroupDir;
import dev.gantry.cgroups.FreezerState;
import dev.gantry.oci.runtime.LinuxBlockIo;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxHugepageLimit;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxThrottleDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.gantry.cgroups.FakeCgroupDir.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class V2ControllersTest {
    @TempDir
    Path tmp;

    private static LinuxMemory memory(Long limit, Long swap) {
        return new LinuxMemory(limit, null, swap, null, null, null, null, null, null);
    }

    @Test
    void swapIsConvertedFromMemoryPlusSwapToSwapOnly() {
        assertThat(MemoryV2.swapMax(200, 100)).isEqualTo(100);
        assertThat(MemoryV2.swapMax(100, 100)).isZero();
        assertThat(MemoryV2.swapMax(-1, 100)).isEqualTo(-1);
        assertThat(MemoryV2.swapMax(0, 100)).isZero();
        assertThat(MemoryV2.swapMax(0, -1)).isEqualTo(-1);
        assertThatThrownBy(() -> MemoryV2.swapMax(50, 100)).hasMessageContaining("below");
        assertThatThrownBy(() -> MemoryV2.swapMax(200, 0)).hasMessageContaining("needs a memory limit");
    }

    @Test
    void memoryWritesMaxSwapMaxAndLow() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("c"), "memory.max", "memory.swap.max", "memory.low");
        new MemoryV2(dir).apply(new LinuxMemory(33554432L, 1048576L, 50331648L, null, null, null, null, null, null));
        assertThat(read(dir, "memory.max")).isEqualTo("33554432");
        assertThat(read(dir, "memory.swap.max")).isEqualTo("16777216");
        assertThat(read(dir, "memory.low")).isEqualTo("1048576");
        new MemoryV2(dir).apply(memory(-1L, null));
        assertThat(read(dir, "memory.max")).isEqualTo("max");
        assertThat(read(dir, "memory.swap.max")).isEqualTo("max");
    }

    @Test
    void v1OnlyMemoryKnobsAreUnavailable() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("c"), "memory.max");
        assertThatThrownBy(() -> new MemoryV2(dir).apply(
                new LinuxMemory(null, null, null, null, null, 60L, null, null, null)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("linux.resources.memory.swappiness");
    }

    @Test
    void memoryStats() {
        Path dir = FakeCgroupDir.at(tmp.resolve("c"), "memory.current", "4096\n", "memory.peak", "8192\n",
                "memory.max", "max\n", "memory.stat", "anon 100\nfile 200\n",
                "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        CgroupStats.Memory stats = new MemoryV2(dir).stats();
        assertThat(stats.usage()).isEqualTo(4096);
        assertThat(stats.maxUsage()).isEqualTo(8192);
        assertThat(stats.limit()).isEqualTo(Long.MAX_VALUE);
        assertThat(stats.cache()).isEqualTo(200);
        assertThat(stats.oomKills()).isEqualTo(1);
    }

    @Test
    void sharesBecomeWeightByRuncsFormula() {
        assertThat(CpuV2.weightOfShares(2)).isEqualTo(1);
        assertThat(CpuV2.weightOfShares(1024)).isEqualTo(39);
        assertThat(CpuV2.weightOfShares(262144)).isEqualTo(10000);
        assertThat(CpuV2.weightOfShares(1)).isEqualTo(1);
    }

    @Test
    void cpuMaxCombinesQuotaAndPeriod() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("c"), "cpu.weight", "cpu.max", "cpu.idle");
        new CpuV2(dir).apply(new LinuxCpu(1024L, 20000L, null, 100000L, null, null, null, null, 1L));
        assertThat(read(dir, "cpu.weight")).isEqualTo("39");
        assertThat(read(dir, "cpu.max")).isEqualTo("20000 100000");
        assertThat(read(dir, "cpu.idle")).isEqualTo("1");
        new CpuV2(dir).apply(new LinuxCpu(null, -1L, null, null, null, null, null, null, null));
        assertThat(read(dir, "cpu.max")).isEqualTo("max");
        assertThatThrownBy(() -> new CpuV2(dir).apply(new LinuxCpu(null, null, null, null, 950L, null, null, null, null)))
                .hasMessageContaining("realtimeRuntime");
    }

    @Test
    void cpuStatsAreConvertedToNanoseconds() {
        Path dir = FakeCgroupDir.at(tmp.resolve("c"), "cpu.stat", """
                usage_usec 300
                user_usec 200
                system_usec 100
                nr_periods 7
                nr_throttled 3
                throttled_usec 50
                """);
        assertThat(new CpuV2(dir).stats()).isEqualTo(new CgroupStats.Cpu(300_000, 200_000, 100_000, 7, 3, 50_000));
    }

    @Test
    void ioWeightConvertedAndThrottlesAsIoMaxKeys() {
        assertThat(IoV2.weightOfBlkio(10)).isEqualTo(1);
        assertThat(IoV2.weightOfBlkio(1000)).isEqualTo(10000);
        assertThat(IoV2.weightOfBlkio(500)).isEqualTo(4950);
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("c"), "io.weight", "io.max");
        new IoV2(dir).apply(new LinuxBlockIo(500, null, null, null, null,
                List.of(new LinuxThrottleDevice(8, 0, 200L)), null));
        assertThat(read(dir, "io.weight")).isEqualTo("default 4950");
        assertThat(read(dir, "io.max")).isEqualTo("8:0 riops=200");
    }

    @Test
    void ioStats() {
        Path dir = FakeCgroupDir.at(tmp.resolve("c"), "io.stat",
                "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n");
        CgroupStats.Blkio stats = new IoV2(dir).stats();
        assertThat(stats.bytes()).containsExactly(new CgroupStats.BlkioEntry(8, 0, "Read", 4096),
                new CgroupStats.BlkioEntry(8, 0, "Write", 8192));
        assertThat(stats.operations()).containsExactly(new CgroupStats.BlkioEntry(8, 0, "Read", 1),
                new CgroupStats.BlkioEntry(8, 0, "Write", 2));
    }

    @Test
    void hugetlbUsesMax() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("c"), "hugetlb.2MB.max");
        new HugetlbV2(dir).apply(List.of(new LinuxHugepageLimit("2MB", 2097152L)));
        assertThat(read(dir, "hugetlb.2MB.max")).isEqualTo("2097152");
    }

    @Test
    void unifiedKeysAreWrittenVerbatimAfterValidation() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("c"), "memory.high", "pids.max");
        Map<String, String> unified = new LinkedHashMap<>();
        unified.put("memory.high", "1048576");
        unified.put("pids.max", "max");
        new UnifiedV2(dir).apply(unified);
        assertThat(read(dir, "memory.high")).isEqualTo("1048576");
        assertThat(UnifiedV2.controllers(unified)).containsExactly("memory", "pids");
        for (String bad : List.of("../memory.max", "sub/memory.max", "memory..max", "nodot", "cgroup.procs")) {
            assertThatThrownBy(() -> new UnifiedV2(dir).apply(Map.of(bad, "1")))
                    .as(bad).isInstanceOfSatisfying(GantryException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> new UnifiedV2(dir).apply(Map.of("io.max", "8:0 rbps=1")))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("linux.resources.unified[\"io.max\"]");
    }

    @Test
    void freezerWritesCgroupFreezeAndReadsCgroupEvents() {
        Path dir = FakeCgroupDir.at(tmp.resolve("c"), "cgroup.freeze", "0\n", "cgroup.events", "populated 1\nfrozen 1\n");
        FreezerV2 freezer = new FreezerV2(dir);
        freezer.freeze(Duration.ofSeconds(1));
        assertThat(read(dir, "cgroup.freeze")).isEqualTo("1");
        assertThat(freezer.state()).isEqualTo(FreezerState.FROZEN);
        // The fake never reports "frozen 0": a thaw must time out and say so.
        assertThatThrownBy(() -> freezer.thaw(Duration.ofMillis(30)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
    }

    @Test
    void oomWatchReportsGrowthOfOomKill() throws Exception {
        Path dir = FakeCgroupDir.at(tmp.resolve("c"), "memory.events", "oom 0\noom_kill 1\n");
        try (OomWatchV2 watch = new OomWatchV2(dir, Duration.ofMillis(5))) {
            assertThat(watch.await(Duration.ofMillis(20))).isZero();
            java.nio.file.Files.writeString(dir.resolve("memory.events"), "oom 2\noom_kill 3\n");
            assertThat(watch.await(Duration.ofSeconds(2))).isEqualTo(2);
        }
    }
}
