package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateRequestTest {
    private static final Map<String, String> ENV = Map.of("FROM_CLIENT", "yes");

    private static CreateRequest map(String... tokens) {
        return map(false, tokens);
    }

    private static CreateRequest map(boolean detached, String... tokens) {
        List<Flag> flags = new ArrayList<>(CreateRequest.FLAGS);
        flags.add(Flag.bool("detach", 'd', ""));
        return CreateRequest.from(Args.parse(flags, Arrays.asList(tokens), false), detached, ENV::get);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> host(CreateRequest r) {
        return (Map<String, Object>) r.body().get("HostConfig");
    }

    @Test
    void imageCommandAndAttachFlags() {
        CreateRequest r = map("-it", "--name", "box", "busybox", "sh", "-c", "echo hi");
        assertThat(r.name()).isEqualTo("box");
        assertThat(r.image()).isEqualTo("busybox");
        assertThat(r.body()).containsEntry("Image", "busybox").containsEntry("Cmd", List.of("sh", "-c", "echo hi"))
                .containsEntry("Tty", true).containsEntry("OpenStdin", true).containsEntry("AttachStdin", true)
                .containsEntry("StdinOnce", true).containsEntry("AttachStdout", true);
        CreateRequest d = map(true, "-d", "-i", "busybox");
        assertThat(d.body()).containsEntry("AttachStdin", false).containsEntry("AttachStdout", false).containsEntry("OpenStdin", true)
                .containsEntry("StdinOnce", false).doesNotContainKey("Cmd");
    }

    @Test
    void publishedPortsBecomeExposedPortsAndBindings() {
        CreateRequest r = map("-p", "8080:80", "-p", "127.0.0.1::53/udp", "-p", "[::1]:9000-9001:9000-9001", "-p", "443", "--expose", "7000-7001", "-P", "img");
        assertThat((Map<String, Object>) r.body().get("ExposedPorts")).containsOnlyKeys("80/tcp", "53/udp", "9000/tcp", "9001/tcp", "443/tcp",
                "7000/tcp", "7001/tcp");
        assertThat(host(r).get("PortBindings")).isEqualTo(Map.of(
                "80/tcp", List.of(Map.of("HostIp", "", "HostPort", "8080")),
                "53/udp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", "")),
                "9000/tcp", List.of(Map.of("HostIp", "::1", "HostPort", "9000")),
                "9001/tcp", List.of(Map.of("HostIp", "::1", "HostPort", "9001")),
                "443/tcp", List.of(Map.of("HostIp", "", "HostPort", ""))));
        assertThat(host(r)).containsEntry("PublishAllPorts", true);
        assertThatThrownBy(() -> map("-p", "80:70000", "img")).isInstanceOf(UsageException.class).hasMessageContaining("80:70000");
        assertThatThrownBy(() -> map("-p", "80/icmp", "img")).isInstanceOf(UsageException.class).hasMessageContaining("icmp");
    }

    @Test
    void networkDnsAndHosts() {
        CreateRequest r = map("--network", "appnet", "--network-alias", "db", "--ip", "10.1.0.5", "--add-host", "db.local:10.0.0.2",
                "--add-host", "gw=host-gateway", "--dns", "10.0.0.1", "--dns-search", "corp", "--dns-option", "ndots:2", "--hostname", "h1", "img");
        assertThat(host(r)).containsEntry("NetworkMode", "appnet").containsEntry("ExtraHosts", List.of("db.local:10.0.0.2", "gw:host-gateway"))
                .containsEntry("Dns", List.of("10.0.0.1")).containsEntry("DnsSearch", List.of("corp")).containsEntry("DnsOptions", List.of("ndots:2"));
        assertThat(r.body()).containsEntry("Hostname", "h1").containsEntry("NetworkingConfig",
                Map.of("EndpointsConfig", Map.of("appnet", Map.of("Aliases", List.of("db"), "IPAMConfig", Map.of("IPv4Address", "10.1.0.5")))));
        assertThat(host(map("img")).get("NetworkMode")).isEqualTo("default");
        assertThat(map("--net", "host", "img").body()).doesNotContainKey("NetworkingConfig");
        assertThatThrownBy(() -> map("--add-host", "nohost", "img")).isInstanceOf(UsageException.class).hasMessageContaining("host:ip");
        assertThatThrownBy(() -> map("--add-host", "a:not-an-ip", "img")).isInstanceOf(UsageException.class).hasMessageContaining("not-an-ip");
    }

    @Test
    void healthcheckDurationsInNanoseconds() {
        CreateRequest r = map("--health-cmd", "wget -q localhost", "--health-interval", "1m30s", "--health-timeout", "500ms",
                "--health-start-period", "2s", "--health-retries", "4", "img");
        assertThat(r.body().get("Healthcheck")).isEqualTo(Map.of("Test", List.of("CMD-SHELL", "wget -q localhost"),
                "Interval", 90_000_000_000L, "Timeout", 500_000_000L, "StartPeriod", 2_000_000_000L, "Retries", 4));
        assertThat(map("--no-healthcheck", "img").body().get("Healthcheck")).isEqualTo(Map.of("Test", List.of("NONE")));
        assertThatThrownBy(() -> map("--no-healthcheck", "--health-cmd", "true", "img")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> map("--health-interval", "soon", "img")).isInstanceOf(UsageException.class).hasMessageContaining("--health-interval");
    }

    @Test
    void environmentFromFlagsFilesAndTheClient(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("env");
        Files.writeString(file, "# comment\nFILE=1\n\nFROM_CLIENT\n");
        CreateRequest r = map("--env-file", file.toString(), "-e", "A=1", "-e", "FROM_CLIENT", "-e", "UNSET_HERE", "img");
        assertThat(r.body().get("Env")).isEqualTo(List.of("FILE=1", "FROM_CLIENT=yes", "A=1", "FROM_CLIENT=yes"));
    }

    @Test
    void volumesMountsAndTmpfs() {
        CreateRequest r = map("-v", "/data", "-v", "/host:/ctr:ro", "-v", "named:/v", "--mount", "type=bind,src=/a,dst=/b,readonly",
                "--mount", "type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1777", "--tmpfs", "/run:rw,size=1m", "--tmpfs", "/x", "img");
        assertThat(r.body().get("Volumes")).isEqualTo(Map.of("/data", Map.of()));
        assertThat(host(r)).containsEntry("Binds", List.of("/host:/ctr:ro", "named:/v"))
                .containsEntry("Tmpfs", Map.of("/run", "rw,size=1m", "/x", ""))
                .containsEntry("Mounts", List.of(Map.of("Type", "bind", "Source", "/a", "Target", "/b", "ReadOnly", true),
                        Map.of("Type", "tmpfs", "Target", "/t", "TmpfsOptions", Map.of("SizeBytes", 64L << 20, "Mode", 01777))));
        assertThatThrownBy(() -> map("-v", "rel/path:/x", "img")).isInstanceOf(UsageException.class).hasMessageContaining("rel/path");
        assertThatThrownBy(() -> map("--mount", "type=bind,target=/x", "img")).isInstanceOf(UsageException.class).hasMessageContaining("source");
    }

    @Test
    void resourcesLimitsAndSecurity() {
        CreateRequest r = map("--memory", "64m", "--memory-swap", "-1", "--cpus", "1.5", "--pids-limit", "50", "--cap-add", "NET_ADMIN",
                "--cap-drop", "ALL", "--privileged", "--read-only", "--init", "--security-opt", "no-new-privileges",
                "--ulimit", "nofile=1024:2048", "--ulimit", "nproc=64", "--device", "/dev/fuse", "--device", "/dev/sda:/dev/xvda:r",
                "--stop-signal", "SIGINT", "--stop-timeout", "3", "--restart", "on-failure:5", "-u", "1000:1000", "-w", "/work",
                "--entrypoint", "", "--label", "a=b", "--label", "flag", "img");
        assertThat(host(r)).containsEntry("Memory", 64L << 20).containsEntry("MemorySwap", -1L).containsEntry("NanoCpus", 1_500_000_000L)
                .containsEntry("PidsLimit", 50L).containsEntry("CapAdd", List.of("NET_ADMIN")).containsEntry("CapDrop", List.of("ALL"))
                .containsEntry("Privileged", true).containsEntry("ReadonlyRootfs", true).containsEntry("Init", true)
                .containsEntry("SecurityOpt", List.of("no-new-privileges"))
                .containsEntry("Ulimits", List.of(Map.of("Name", "nofile", "Soft", 1024L, "Hard", 2048L), Map.of("Name", "nproc", "Soft", 64L, "Hard", 64L)))
                .containsEntry("Devices", List.of(Map.of("PathOnHost", "/dev/fuse", "PathInContainer", "/dev/fuse", "CgroupPermissions", "rwm"),
                        Map.of("PathOnHost", "/dev/sda", "PathInContainer", "/dev/xvda", "CgroupPermissions", "r")))
                .containsEntry("RestartPolicy", Map.of("Name", "on-failure", "MaximumRetryCount", 5));
        assertThat(r.body()).containsEntry("StopSignal", "SIGINT").containsEntry("StopTimeout", 3).containsEntry("User", "1000:1000")
                .containsEntry("WorkingDir", "/work").containsEntry("Entrypoint", List.of("")).containsEntry("Labels", Map.of("a", "b", "flag", ""));
        assertThatThrownBy(() -> map("--rm", "--restart", "always", "img")).isInstanceOf(UsageException.class).hasMessageContaining("--restart");
        assertThatThrownBy(() -> map("--restart", "sometimes", "img")).isInstanceOf(UsageException.class).hasMessageContaining("sometimes");
        assertThatThrownBy(() -> map("--ulimit", "nofile=10:5", "img")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> map("--memory", "lots", "img")).isInstanceOf(UsageException.class).hasMessageContaining("--memory");
        assertThatThrownBy(() -> map()).isInstanceOf(UsageException.class).hasMessageContaining("IMAGE");
    }

    @Test
    void logOptionsSysctlsAndByteSizes() {
        CreateRequest r = map("--log-driver", "json-file", "--log-opt", "max-size=10m", "--log-opt", "max-file=3",
                "--sysctl", "net.ipv4.ip_forward=1", "--sysctl", "kernel.msgmax=65536", "--shm-size", "128m",
                "--memory", "1g", "--memory-reservation", "512m", "img");
        assertThat(host(r)).containsEntry("LogConfig", Map.of("Type", "json-file", "Config", Map.of("max-size", "10m", "max-file", "3")))
                .containsEntry("Sysctls", Map.of("net.ipv4.ip_forward", "1", "kernel.msgmax", "65536"))
                .containsEntry("ShmSize", 128L << 20).containsEntry("Memory", 1L << 30).containsEntry("MemoryReservation", 512L << 20);
        // The request lists sysctls in the order given, as the docker CLI sends them.
        assertThat(List.copyOf(((Map<?, ?>) host(r).get("Sysctls")).keySet())).isEqualTo(List.of("net.ipv4.ip_forward", "kernel.msgmax"));
        assertThat(host(map("--log-opt", "max-size=1m", "img"))).containsEntry("LogConfig", Map.of("Type", "", "Config", Map.of("max-size", "1m")));
        assertThat(host(map("img"))).doesNotContainKeys("LogConfig", "Sysctls", "ShmSize", "Memory", "MemoryReservation");
        assertThatThrownBy(() -> map("--sysctl", "kernel.msgmax", "img")).isInstanceOf(UsageException.class).hasMessageContaining("--sysctl");
        assertThatThrownBy(() -> map("--log-opt", "=3", "img")).isInstanceOf(UsageException.class).hasMessageContaining("--log-opt");
        assertThatThrownBy(() -> map("--shm-size", "big", "img")).isInstanceOf(UsageException.class).hasMessageContaining("shm-size");
    }

    @Test
    void execFlagsBecomeTheExecConfig() throws Exception {
        Args a = Args.parse(ContainerCommands.EXEC_FLAGS, List.of("-it", "-e", "A=1", "-e", "FROM_CLIENT", "-u", "nobody", "-w", "/tmp",
                "--privileged", "web", "sh", "-c", "ls -l"), false);
        assertThat(ContainerRunner.execBody(a, ENV::get)).isEqualTo(Map.of("AttachStdin", true, "AttachStdout", true, "AttachStderr", true,
                "Tty", true, "Env", List.of("A=1", "FROM_CLIENT=yes"), "User", "nobody", "WorkingDir", "/tmp", "Privileged", true,
                "Cmd", List.of("sh", "-c", "ls -l")));
        Args detached = Args.parse(ContainerCommands.EXEC_FLAGS, List.of("-d", "-i", "web", "true"), false);
        assertThat(ContainerRunner.execBody(detached, ENV::get)).containsEntry("AttachStdin", false).containsEntry("AttachStdout", false)
                .containsEntry("Tty", false).doesNotContainKey("Env");
    }
}
