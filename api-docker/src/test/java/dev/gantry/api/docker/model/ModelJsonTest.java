package dev.gantry.api.docker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.docker.json.Json;
import dev.gantry.base.GantryException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelJsonTest {
    /** What docker-java sends for `createContainerCmd("busybox").withCmd("true")`: every field, most null. */
    static final String DOCKER_JAVA_CREATE = """
            {"name":null,"Hostname":null,"Domainname":null,"User":null,"AttachStdin":null,"AttachStdout":null,"AttachStderr":null,
             "PortSpecs":null,"Tty":null,"OpenStdin":null,"StdinOnce":null,"Env":null,"Cmd":["true"],"Healthcheck":null,
             "ArgsEscaped":null,"Entrypoint":null,"Image":"busybox","Volumes":null,"WorkingDir":null,"MacAddress":null,
             "OnBuild":null,"NetworkDisabled":null,"ExposedPorts":{},"StopSignal":null,"StopTimeout":null,
             "HostConfig":{"Binds":null,"BlkioWeight":null,"BlkioWeightDevice":null,"CpuShares":null,"Memory":268435456,
               "CapAdd":null,"CapDrop":["MKNOD"],"NetworkMode":"none","PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},
               "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"Mounts":[{"Type":"volume","Source":"data","Target":"/data",
               "ReadOnly":null,"VolumeOptions":{"NoCopy":true,"Labels":null,"DriverConfig":null}}],"Ulimits":[{"Name":"nofile","Soft":1024,"Hard":2048}],
               "Tmpfs":{"/run":"size=64m"},"Init":null,"Runtime":null,"Isolation":null,"PidsLimit":null,"FutureField":[1,2,3]},
             "NetworkingConfig":{"EndpointsConfig":{"none":{"IPAMConfig":null,"Links":null,"Aliases":null,"NetworkID":null}}},
             "Shell":null,"Labels":{"a":"b"},"UnknownTopLevel":{"deep":{"x":null}}}
            """;

    @Test
    void dockerJavaCreateBodyWithNullsAndUnknownFieldsIsRead() {
        ContainerCreateRequest req = Json.read(DOCKER_JAVA_CREATE, ContainerCreateRequest.class);
        assertThat(req.config().image()).isEqualTo("busybox");
        assertThat(req.config().cmd()).containsExactly("true");
        assertThat(req.config().entrypoint()).isNull();
        assertThat(req.config().tty()).isNull();
        assertThat(req.config().hasTty()).isFalse();
        assertThat(req.config().labels()).containsEntry("a", "b");
        HostConfig host = req.hostConfig();
        assertThat(host.resources().memory()).isEqualTo(268435456L);
        assertThat(host.resources().memory()).isEqualTo(268435456L);
        assertThat(host.capDrop()).containsExactly("MKNOD");
        assertThat(host.portBindings().get("80/tcp")).containsExactly(new PortBinding("", "8080"));
        assertThat(host.restartPolicy()).isEqualTo(new RestartPolicy("on-failure", 3));
        assertThat(host.mounts().getFirst().volumeOptions().noCopy()).isTrue();
        assertThat(host.resources().ulimits()).containsExactly(new Ulimit("nofile", 1024L, 2048L));
        assertThat(host.tmpfs()).containsEntry("/run", "size=64m");
        assertThat(req.networkingConfig().endpointsConfig()).containsKey("none");
    }

    @Test
    void aSingleStringIsAcceptedWhereDockerTakesAStrSlice() {
        ContainerCreateRequest req = Json.read("{\"Image\":\"busybox\",\"Cmd\":\"echo hi\",\"Entrypoint\":\"/bin/sh\"}", ContainerCreateRequest.class);
        assertThat(req.config().cmd()).containsExactly("echo hi");
        assertThat(req.config().entrypoint()).containsExactly("/bin/sh");
        assertThat(req.hostConfig()).isNull();
    }

    @Test
    void typeErrorsNameTheField() {
        assertThatThrownBy(() -> Json.read("{\"Image\":\"b\",\"HostConfig\":{\"Memory\":\"lots\"}}", ContainerCreateRequest.class))
                .isInstanceOf(GantryException.class)
                .hasMessageStartingWith("invalid JSON for field HostConfig.Memory");
        assertThatThrownBy(() -> Json.read("{\"Tty\":[true]}", ContainerCreateRequest.class))
                .hasMessageStartingWith("invalid JSON for field Tty");
        assertThatThrownBy(() -> Json.read("{\"Name\":", VolumeCreateRequest.class))
                .hasMessageStartingWith("malformed JSON at line 1");
    }

    @Test
    void createRequestWritesTheInlinedWireShape() {
        ContainerCreateRequest req = Json.read(DOCKER_JAVA_CREATE, ContainerCreateRequest.class);
        JsonNode out = Json.MAPPER.valueToTree(req);
        assertThat(out.get("Image").asText()).isEqualTo("busybox");
        assertThat(out.get("HostConfig").get("Memory").asLong()).isEqualTo(268435456L);
        assertThat(out.has("Config")).isFalse();
        assertThat(out.has("Hostname")).as("nulls are left out").isFalse();
        assertThat(Json.read(out.toString(), ContainerCreateRequest.class)).isEqualTo(req);
    }

    /** Every HostConfig field docker defines, in the swagger's order, the Resources ones inlined first. */
    static final String FULL_HOST_CONFIG = """
            {"CpuShares":512,"Memory":1048576,"CgroupParent":"p","BlkioWeight":10,"BlkioWeightDevice":[{"Path":"/dev/sda","Weight":5}],
             "BlkioDeviceReadBps":[{"Path":"/dev/sda","Rate":1}],"BlkioDeviceWriteBps":[{"Path":"/dev/sda","Rate":2}],
             "BlkioDeviceReadIOps":[{"Path":"/dev/sda","Rate":3}],"BlkioDeviceWriteIOps":[{"Path":"/dev/sda","Rate":4}],
             "CpuPeriod":100000,"CpuQuota":50000,"CpuRealtimePeriod":1,"CpuRealtimeRuntime":2,"CpusetCpus":"0","CpusetMems":"0",
             "Devices":[{"PathOnHost":"/dev/fuse","PathInContainer":"/dev/fuse","CgroupPermissions":"rwm"}],"DeviceCgroupRules":["c 1:3 rwm"],
             "DeviceRequests":[{"Driver":"x","Count":1,"DeviceIDs":["a"],"Capabilities":[["gpu"]],"Options":{"k":"v"}}],
             "MemoryReservation":1,"MemorySwap":-1,"MemorySwappiness":0,"NanoCpus":1500000000,"OomKillDisable":true,"Init":true,
             "PidsLimit":50,"Ulimits":[{"Name":"nofile","Soft":1,"Hard":2}],"CpuCount":1,"CpuPercent":2,"IOMaximumIOps":3,"IOMaximumBandwidth":4,
             "Binds":["/a:/b"],"ContainerIDFile":"f","LogConfig":{"Type":"json-file","Config":{"max-size":"1m"}},"NetworkMode":"bridge",
             "PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},"RestartPolicy":{"Name":"always","MaximumRetryCount":0},
             "AutoRemove":true,"VolumeDriver":"local","VolumesFrom":["c"],"Mounts":[{"Target":"/b","Source":"/a","Type":"bind"}],
             "ConsoleSize":[24,80],"Annotations":{"a":"b"},"CapAdd":["NET_ADMIN"],"CapDrop":["ALL"],"CgroupnsMode":"private",
             "Dns":["1.1.1.1"],"DnsOptions":["ndots:2"],"DnsSearch":["corp"],"ExtraHosts":["h:1.2.3.4"],"GroupAdd":["10"],"IpcMode":"private",
             "Cgroup":"","Links":["l"],"OomScoreAdj":5,"PidMode":"host","Privileged":true,"PublishAllPorts":true,"ReadonlyRootfs":true,
             "SecurityOpt":["no-new-privileges"],"StorageOpt":{"size":"1G"},"Tmpfs":{"/run":""},"UTSMode":"host","UsernsMode":"host",
             "ShmSize":67108864,"Sysctls":{"net.ipv4.ip_forward":"1"},"Runtime":"runc","Isolation":"default","MaskedPaths":["/proc/kcore"],
             "ReadonlyPaths":["/proc/sys"]}
            """;

    @Test
    void hostConfigKeepsTheResourcesInlinedOnTheWire() throws Exception {
        HostConfig full = Json.read(FULL_HOST_CONFIG, HostConfig.class);
        assertThat(full.resources().memory()).isEqualTo(1048576L);
        assertThat(full.resources().ioMaximumBandwidth()).isEqualTo(4L);
        assertThat(full.capAdd()).containsExactly("NET_ADMIN");
        // Every field comes back, in the same order, none nested under "Resources".
        assertThat(new String(Json.write(full), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(Json.MAPPER.readTree(FULL_HOST_CONFIG).toString());
        assertThat(Json.read(new String(Json.write(full), java.nio.charset.StandardCharsets.UTF_8), HostConfig.class)).isEqualTo(full);

        HostConfig none = Json.read("{\"NetworkMode\":\"none\",\"Memory\":null}", HostConfig.class);
        assertThat(none.resources()).as("present even when no resource is set").isNotNull();
        assertThat(none.resources().memory()).isNull();
        assertThat(new String(Json.write(none), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"NetworkMode\":\"none\"}");
        assertThatThrownBy(() -> Json.read("{\"Image\":\"b\",\"HostConfig\":{\"BlkioWeightDevice\":[{\"Weight\":\"x\"}]}}",
                ContainerCreateRequest.class)).hasMessageStartingWith("invalid JSON for field HostConfig.BlkioWeightDevice[0].Weight");
    }

    @Test
    void updateRequestSplitsResourcesAndRestartPolicy() {
        var req = Json.read("{\"Memory\":1048576,\"CpuShares\":512,\"RestartPolicy\":{\"Name\":\"always\"},\"Bogus\":null}",
                ContainerUpdateRequest.class);
        assertThat(req.resources().memory()).isEqualTo(1048576L);
        assertThat(req.resources().cpuShares()).isEqualTo(512L);
        assertThat(req.restartPolicy().name()).isEqualTo("always");
    }

    @Test
    void irregularNamesFollowTheSwagger() {
        JsonNode state = Json.MAPPER.valueToTree(new ContainerState("exited", false, false, false, true, false, 0, 137, "", "a", "b", null));
        assertThat(state.has("OOMKilled")).isTrue();
        JsonNode mount = Json.MAPPER.valueToTree(new MountPoint("volume", "data", "/v", "/data", "local", "", true, ""));
        assertThat(mount.get("RW").asBoolean()).isTrue();
        JsonNode summary = Json.MAPPER.valueToTree(new ContainerSummary("id", List.of("/x"), "img", "sha256:1", "sh", 1L,
                List.of(new ContainerSummary.Port("0.0.0.0", 80, 8080, "tcp")), null, null, Map.of(), "running", "Up", null, null, null));
        assertThat(summary.fieldNames()).toIterable().contains("Id", "Names", "ImageID", "Ports", "State", "Status");
        assertThat(summary.get("Ports").get(0).has("IP")).isTrue();
        JsonNode exec = Json.MAPPER.valueToTree(new ExecInspect(false, "c", "", null, "e", false, false, true,
                new ExecInspect.ProcessConfig(List.of("-c"), "sh", false, true, ""), true, 42));
        assertThat(exec.fieldNames()).toIterable().contains("ID", "ContainerID", "ProcessConfig");
        assertThat(exec.get("ProcessConfig").get("tty").asBoolean()).isTrue();
    }

    @Test
    void statsUseSnakeCaseAndEventsKeepLegacyFields() {
        var stats = new ContainerStats("/web", "id", "2024-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                new ContainerStats.PidsStats(3L, null), null, 0,
                new ContainerStats.CpuStats(new ContainerStats.CpuUsage(100, null, 10, 90), 1000L, 2, null), null,
                new ContainerStats.MemoryStats(4096L, null, Map.of("cache", 0L), null, 8192L), null);
        JsonNode s = Json.MAPPER.valueToTree(stats);
        assertThat(s.get("cpu_stats").get("cpu_usage").get("total_usage").asLong()).isEqualTo(100);
        assertThat(s.get("pids_stats").get("current").asLong()).isEqualTo(3);
        assertThat(s.get("memory_stats").get("limit").asLong()).isEqualTo(8192);

        JsonNode e = Json.MAPPER.valueToTree(EventMessage.of("container", "die", "abc", Map.of("image", "busybox", "exitCode", "1"),
                1_700_000_000_123_456_789L));
        assertThat(e.get("Type").asText()).isEqualTo("container");
        assertThat(e.get("Actor").get("ID").asText()).isEqualTo("abc");
        assertThat(e.get("time").asLong()).isEqualTo(1_700_000_000L);
        assertThat(e.get("timeNano").asLong()).isEqualTo(1_700_000_000_123_456_789L);
        assertThat(e.get("status").asText()).isEqualTo("die");
        assertThat(e.get("from").asText()).isEqualTo("busybox");
    }

    @Test
    void authConfigUsesLowerCaseAndHidesThePassword() {
        AuthConfig a = Json.read("{\"username\":\"u\",\"password\":\"p\",\"serveraddress\":\"127.0.0.1:5000\",\"email\":null}", AuthConfig.class);
        assertThat(a.serverAddress()).isEqualTo("127.0.0.1:5000");
        assertThat(a.password()).isEqualTo("p");
        assertThat(a.toString()).doesNotContain("p,").doesNotContain("password");
    }

    @Test
    void progressFailureCarriesBothErrorFields() {
        JsonNode p = Json.MAPPER.valueToTree(ProgressMessage.failure("manifest unknown"));
        assertThat(p.get("error").asText()).isEqualTo("manifest unknown");
        assertThat(p.get("errorDetail").get("message").asText()).isEqualTo("manifest unknown");
    }
}
