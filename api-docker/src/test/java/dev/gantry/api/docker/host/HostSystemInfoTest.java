package dev.gantry.api.docker.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.docker.json.Json;
import dev.gantry.api.docker.model.SystemInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostSystemInfoTest {
    @TempDir
    Path root;

    final HostSystemInfo.Settings settings = new HostSystemInfo.Settings("0.1.0", Path.of("/var/lib/gantry"),
            Map.of("runc", new SystemInfo.Runtime("/usr/sbin/runc", List.of())), "gantry");

    void file(String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    void commonHost() throws IOException {
        file("proc/sys/kernel/osrelease", "6.18.0-test\n");
        file("proc/sys/kernel/hostname", "box\n");
        file("proc/meminfo", "MemTotal:       24576000 kB\nMemFree: 1 kB\n");
        file("proc/sys/net/ipv4/ip_forward", "1\n");
        file("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n");
        file("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    }

    @Test
    void hybridHostReportsCgroupV1AndItsControllers() throws IOException {
        commonHost();
        file("sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", "0");
        file("sys/fs/cgroup/memory/memory.oom_control", "0");
        file("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1");
        file("sys/fs/cgroup/cpu/cpu.shares", "1024");
        Files.createDirectories(root.resolve("sys/fs/cgroup/cpuset"));
        Files.createDirectories(root.resolve("sys/fs/cgroup/pids"));
        file("sys/fs/cgroup/unified/cgroup.controllers", "hugetlb");

        SystemInfo info = new HostSystemInfo(root, settings).info();
        assertThat(info.cgroupVersion()).isEqualTo("1");
        assertThat(info.cgroupDriver()).isEqualTo("cgroupfs");
        assertThat(info.kernelVersion()).isEqualTo("6.18.0-test");
        assertThat(info.operatingSystem()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(info.osVersion()).isEqualTo("12");
        assertThat(info.name()).isEqualTo("box");
        assertThat(info.memTotal()).isEqualTo(24576000L * 1024);
        assertThat(info.memoryLimit()).isTrue();
        assertThat(info.swapLimit()).isTrue();
        assertThat(info.cpuCfsQuota()).isTrue();
        assertThat(info.pidsLimit()).isTrue();
        assertThat(info.oomKillDisable()).isTrue();
        assertThat(info.ipv4Forwarding()).isTrue();
        assertThat(info.bridgeNfIptables()).isFalse();
        assertThat(info.warnings()).isEmpty();
        assertThat(info.defaultRuntime()).isEqualTo("gantry");
        assertThat(info.id()).isEqualTo(new HostSystemInfo(root, settings).info().id()).isNotEmpty();
        assertThat(info.containers()).isZero();
    }

    @Test
    void unifiedHostReportsCgroupV2() throws IOException {
        commonHost();
        file("sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids");
        SystemInfo info = new HostSystemInfo(root, settings).info();
        assertThat(info.cgroupVersion()).isEqualTo("2");
        assertThat(info.memoryLimit()).isTrue();
        assertThat(info.oomKillDisable()).isFalse();
    }

    @Test
    void missingFeaturesAreReportedAbsentWithDockersWarning() throws IOException {
        commonHost();
        SystemInfo info = new HostSystemInfo(root, settings).info();
        assertThat(info.memoryLimit()).isFalse();
        assertThat(info.warnings()).containsExactly("WARNING: No swap limit support");
    }

    @Test
    void countsAreAddedByTheEngineAndNamesFollowTheSwagger() throws IOException {
        commonHost();
        SystemInfo info = new HostSystemInfo(root, settings).info().withCounts(5, 2, 1, 2, 7);
        JsonNode json = Json.MAPPER.valueToTree(info);
        assertThat(json.get("Containers").asInt()).isEqualTo(5);
        assertThat(json.get("ContainersRunning").asInt()).isEqualTo(2);
        assertThat(json.get("Images").asInt()).isEqualTo(7);
        assertThat(json.fieldNames()).toIterable().contains("ID", "NCPU", "MemTotal", "OSType", "CgroupVersion", "KernelVersion",
                "DockerRootDir", "Runtimes", "DefaultRuntime", "CPUShares", "NFd", "NGoroutines", "IPv4Forwarding");
        assertThat(json.get("Runtimes").get("runc").get("path").asText()).isEqualTo("/usr/sbin/runc");
    }
}
