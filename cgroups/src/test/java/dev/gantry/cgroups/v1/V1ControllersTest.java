package dev.gantry.cgroups.v1;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.cgroups.CpusetController;
import dev.gantry.cgroups.FakeCgroupDir;
import dev.gantry.cgroups.FreezerState;
import dev.gantry.oci.runtime.LinuxBlockIo;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;
import dev.gantry.oci.runtime.LinuxHugepageLimit;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxThrottleDevice;
import dev.gantry.oci.runtime.LinuxWeightDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.gantry.cgroups.FakeCgroupDir.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class V1ControllersTest {
    @TempDir
    Path tmp;

    private static LinuxMemory memory(Long limit, Long swap) {
        return new LinuxMemory(limit, null, swap, null, null, null, null, null, null);
    }

    @Test
    void memoryLimitReservationSwappinessAndOomKiller() {
        Path dir = FakeCgroupDir.at(tmp.resolve("memory/c"), "memory.limit_in_bytes", "9223372036854771712",
                "memory.memsw.limit_in_bytes", "9223372036854771712", "memory.soft_limit_in_bytes", "",
                "memory.swappiness", "", "memory.oom_control", "");
        new MemoryV1(dir).apply(new LinuxMemory(33554432L, 16777216L, 67108864L, 1L, null, 10L, true, null, null));
        assertThat(read(dir, "memory.limit_in_bytes")).isEqualTo("33554432");
        assertThat(read(dir, "memory.memsw.limit_in_bytes")).isEqualTo("67108864");
        assertThat(read(dir, "memory.soft_limit_in_bytes")).isEqualTo("16777216");
        assertThat(read(dir, "memory.swappiness")).isEqualTo("10");
        assertThat(read(dir, "memory.oom_control")).isEqualTo("1");
    }

    @Test
    void memorySwapIsWrittenBeforeTheLimitWhenItRises() {
        Path dir = FakeCgroupDir.at(tmp.resolve("memory/c"), "memory.limit_in_bytes", "1000",
                "memory.memsw.limit_in_bytes", "2000");
        // A limit of 3000 above the current memsw of 2000 needs memsw raised first; the fake
        // file cannot enforce that, but a raise above the current value takes the swap-first path.
        new MemoryV1(dir).apply(memory(3000L, 6000L));
        assertThat(read(dir, "memory.limit_in_bytes")).isEqualTo("3000");
        assertThat(read(dir, "memory.memsw.limit_in_bytes")).isEqualTo("6000");
    }

    @Test
    void swappinessOutOfRangeNamesTheField() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("m"), "memory.swappiness");
        assertThatThrownBy(() -> new MemoryV1(dir).apply(
                new LinuxMemory(null, null, null, null, null, 101L, null, null, null)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("linux.resources.memory.swappiness");
    }

    @Test
    void missingMemswFileIsUnavailableNamingFieldAndFile() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("m"), "memory.limit_in_bytes");
        assertThatThrownBy(() -> new MemoryV1(dir).apply(memory(1000L, 2000L)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("linux.resources.memory.swap")
                .hasMessageContaining("memory.memsw.limit_in_bytes");
    }

    @Test
    void memoryStatsReadUsageCacheAndOomKills() {
        Path dir = FakeCgroupDir.at(tmp.resolve("m"), "memory.usage_in_bytes", "4096\n",
                "memory.max_usage_in_bytes", "8192\n", "memory.limit_in_bytes", "9223372036854771712\n",
                "memory.memsw.usage_in_bytes", "5096\n",
                "memory.stat", "cache 100\nrss 200\ntotal_cache 300\n",
                "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        CgroupStats.Memory stats = new MemoryV1(dir).stats();
        assertThat(stats.usage()).isEqualTo(4096);
        assertThat(stats.maxUsage()).isEqualTo(8192);
        assertThat(stats.limit()).isEqualTo(Long.MAX_VALUE);
        assertThat(stats.cache()).isEqualTo(300);
        assertThat(stats.swapUsage()).isEqualTo(1000);
        assertThat(stats.oomKills()).isEqualTo(2);
        assertThat(stats.raw()).containsEntry("rss", 200L);
    }

    @Test
    void cpuWritesSharesPeriodBeforeQuotaAndRealtime() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("cpu"), "cpu.shares", "cpu.cfs_period_us",
                "cpu.cfs_quota_us", "cpu.rt_period_us", "cpu.rt_runtime_us", "cpu.idle");
        new CpuV1(dir).apply(new LinuxCpu(512L, 20000L, null, 100000L, 950L, 1000L, null, null, 0L));
        assertThat(read(dir, "cpu.shares")).isEqualTo("512");
        assertThat(read(dir, "cpu.cfs_period_us")).isEqualTo("100000");
        assertThat(read(dir, "cpu.cfs_quota_us")).isEqualTo("20000");
        assertThat(read(dir, "cpu.rt_period_us")).isEqualTo("1000");
        assertThat(read(dir, "cpu.rt_runtime_us")).isEqualTo("950");
        assertThat(read(dir, "cpu.idle")).isEqualTo("0");
    }

    @Test
    void cpuStatsCombineCpuacctAndThrottling() {
        Path acct = FakeCgroupDir.at(tmp.resolve("cpuacct"), "cpuacct.usage", "3000\n",
                "cpuacct.usage_user", "2000\n", "cpuacct.usage_sys", "1000\n");
        Path cpu = FakeCgroupDir.at(tmp.resolve("cpu"), "cpu.stat",
                "nr_periods 10\nnr_throttled 4\nthrottled_time 5000\n");
        CgroupStats.Cpu stats = new CpuacctV1(acct).stats(new CpuV1(cpu).throttling());
        assertThat(stats).isEqualTo(new CgroupStats.Cpu(3000, 2000, 1000, 10, 4, 5000));
    }

    @Test
    void cpusetInheritsEmptyCpusAndMemsFromParent() {
        Path parent = FakeCgroupDir.at(tmp.resolve("cpuset"), "cpuset.cpus", "0-1\n", "cpuset.mems", "0\n");
        Path child = FakeCgroupDir.at(parent.resolve("c"), "cpuset.cpus", "\n", "cpuset.mems", "\n");
        new CpusetV1(child).inheritFromParent();
        assertThat(read(child, "cpuset.cpus")).isEqualTo("0-1");
        assertThat(read(child, "cpuset.mems")).isEqualTo("0");
        new CpusetController(child).apply("1", null);
        assertThat(read(child, "cpuset.cpus")).isEqualTo("1");
        assertThat(read(child, "cpuset.mems")).isEqualTo("0");
    }

    @Test
    void blkioThrottlesAreOneWritePerDeviceAndWeightNeedsAScheduler() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("blkio"), "blkio.throttle.read_bps_device",
                "blkio.throttle.write_iops_device", "blkio.bfq.weight");
        new BlkioV1(dir).apply(new LinuxBlockIo(500, null, null,
                List.of(new LinuxThrottleDevice(8, 0, 1048576L)), null, null,
                List.of(new LinuxThrottleDevice(8, 16, 100L))));
        assertThat(read(dir, "blkio.bfq.weight")).isEqualTo("500");
        assertThat(read(dir, "blkio.throttle.read_bps_device")).isEqualTo("8:0 1048576");
        assertThat(read(dir, "blkio.throttle.write_iops_device")).isEqualTo("8:16 100");

        Path bare = FakeCgroupDir.withFiles(tmp.resolve("bare"), "blkio.throttle.read_bps_device");
        assertThatThrownBy(() -> new BlkioV1(bare).apply(new LinuxBlockIo(null, null,
                List.of(new LinuxWeightDevice(8, 0, 100, null)), null, null, null, null)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("linux.resources.blockIO.weightDevice[0]");
    }

    @Test
    void blkioStatsSkipTheTotalLine() {
        Path dir = FakeCgroupDir.at(tmp.resolve("blkio"), "blkio.throttle.io_service_bytes_recursive",
                "8:0 Read 4096\n8:0 Write 8192\nTotal 12288\n", "blkio.throttle.io_serviced_recursive",
                "8:0 Read 1\n8:0 Write 2\nTotal 3\n");
        CgroupStats.Blkio stats = new BlkioV1(dir).stats();
        assertThat(stats.bytes()).containsExactly(new CgroupStats.BlkioEntry(8, 0, "Read", 4096),
                new CgroupStats.BlkioEntry(8, 0, "Write", 8192));
        assertThat(stats.operations()).hasSize(2);
    }

    @Test
    void devicesDenyAllThenRulesInOrder() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("devices"), "devices.allow", "devices.deny");
        List<String> writes = new java.util.ArrayList<>();
        List<LinuxDeviceCgroup> rules = List.of(
                new LinuxDeviceCgroup(false, null, null, null, "rwm"),
                new LinuxDeviceCgroup(true, "c", 1L, 3L, "rw"),
                new LinuxDeviceCgroup(true, "c", 136L, null, "rwm"),
                new LinuxDeviceCgroup(false, "b", 8L, 0L, "m"));
        for (int i = 0; i < rules.size(); i++) {
            writes.add(DevicesV1.line(rules.get(i), i));
        }
        assertThat(writes).containsExactly("a *:* rwm", "c 1:3 rw", "c 136:* rwm", "b 8:0 m");
        new DevicesV1(dir).apply(rules);
        // Each write replaces the fake file: the last rule to each file is what remains.
        assertThat(read(dir, "devices.allow")).isEqualTo("c 136:* rwm");
        assertThat(read(dir, "devices.deny")).isEqualTo("b 8:0 m");
        assertThatThrownBy(() -> DevicesV1.line(new LinuxDeviceCgroup(true, "x", null, null, "r"), 3))
                .hasMessageContaining("linux.resources.devices[3].type");
        assertThatThrownBy(() -> DevicesV1.line(new LinuxDeviceCgroup(true, "c", null, null, "rx"), 0))
                .hasMessageContaining("access");
    }

    @Test
    void hugetlbPerPageSizeAndBadPageSize() {
        Path dir = FakeCgroupDir.withFiles(tmp.resolve("hugetlb"), "hugetlb.2MB.limit_in_bytes");
        new HugetlbV1(dir).apply(List.of(new LinuxHugepageLimit("2MB", 4194304L)));
        assertThat(read(dir, "hugetlb.2MB.limit_in_bytes")).isEqualTo("4194304");
        assertThatThrownBy(() -> new HugetlbV1(dir).apply(List.of(new LinuxHugepageLimit("../2MB", 1L))))
                .hasMessageContaining("pageSize");
        assertThatThrownBy(() -> new HugetlbV1(dir).apply(List.of(new LinuxHugepageLimit("1GB", 1L))))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("hugetlb.1GB.limit_in_bytes");
    }

    @Test
    void freezerWritesStateAndReadsItBack() {
        Path dir = FakeCgroupDir.at(tmp.resolve("freezer"), "freezer.state", "THAWED\n");
        FreezerV1 freezer = new FreezerV1(dir);
        freezer.freeze(Duration.ofSeconds(1));
        assertThat(freezer.state()).isEqualTo(FreezerState.FROZEN);
        freezer.thaw(Duration.ofSeconds(1));
        assertThat(read(dir, "freezer.state")).isEqualTo("THAWED");
    }
}
