package dev.gantry.oci.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecsTest {

    /** A config like the ones dockerd/containerd generate: hooks, seccomp, resources, devices, unsigned values. */
    static final String ENGINE_CONFIG = """
            {
              "ociVersion": "1.2.0",
              "process": {
                "user": {"uid": 1000, "gid": 1000, "umask": 18, "additionalGids": [10, 4294967294]},
                "args": ["/bin/sh", "-c", "echo hi"],
                "env": ["PATH=/bin"],
                "cwd": "/work",
                "capabilities": {"bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]},
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 1024},
                            {"type": "RLIMIT_CORE", "hard": 0, "soft": 0}],
                "apparmorProfile": "docker-default",
                "oomScoreAdj": -500,
                "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
                "scheduler": {"policy": "SCHED_OTHER", "nice": 5},
                "execCPUAffinity": {"initial": "0", "final": "0-1"}
              },
              "root": {"path": "/var/lib/gantry/rootfs"},
              "hostname": "abc123",
              "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
                {"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "rprivate", "idmap"],
                 "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                 "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}
              ],
              "hooks": {
                "prestart": [{"path": "/usr/bin/netns-hook", "args": ["netns-hook", "create"], "env": ["A=1"], "timeout": 5}],
                "createRuntime": [{"path": "/usr/libexec/hook"}],
                "poststop": [{"path": "/usr/bin/cleanup"}]
              },
              "annotations": {"com.example.key": "value"},
              "linux": {
                "sysctl": {"net.ipv4.ip_forward": "1"},
                "resources": {
                  "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}],
                  "memory": {"limit": -1, "swap": -1, "reservation": 0, "swappiness": 18446744073709551615},
                  "cpu": {"shares": 1024, "quota": -1, "period": 100000, "cpus": "0-1"},
                  "pids": {"limit": -1},
                  "blockIO": {"weight": 500, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 18446744073709551615}]},
                  "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
                  "network": {"classID": 4294967295, "priorities": [{"name": "eth0", "priority": 5}]},
                  "unified": {"memory.high": "max"}
                },
                "cgroupsPath": "system.slice:docker:abc123",
                "namespaces": [{"type": "mount"}, {"type": "network", "path": "/var/run/netns/x"}, {"type": "uts"},
                               {"type": "pid"}, {"type": "ipc"}, {"type": "cgroup"}],
                "devices": [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0}],
                "seccomp": {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "defaultErrnoRet": 1,
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                  "flags": ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
                  "syscalls": [
                    {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                    {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 18446744069414584320, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
                    {"names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}
                  ]
                },
                "rootfsPropagation": "rprivate",
                "maskedPaths": ["/proc/kcore"],
                "readonlyPaths": ["/proc/sys"],
                "mountLabel": "system_u:object_r:container_file_t:s0",
                "timeOffsets": {"monotonic": {"secs": 10, "nanosecs": 5}},
                "personality": {"domain": "LINUX"}
              }
            }
            """;

    private static Spec parse(String json) {
        return OciSpecs.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String write(Spec spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OciSpecs.write(spec, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void defaultSpecEqualsWhatRuncSpecWrites() {
        assertThat(OciSpecs.defaultSpec()).isEqualTo(parse(RuncSpecs.DEFAULT));
    }

    @Test
    void rootlessSpecEqualsWhatRuncSpecRootlessWritesForRoot() {
        assertThat(OciSpecs.rootlessSpec(0, 0)).isEqualTo(parse(RuncSpecs.ROOTLESS));
    }

    @Test
    void rootlessSpecMapsTheGivenUser() {
        Linux linux = OciSpecs.rootlessSpec(1000, 1001).linux();
        assertThat(linux.uidMappings()).containsExactly(new LinuxIdMapping(0, 1000, 1));
        assertThat(linux.gidMappings()).containsExactly(new LinuxIdMapping(0, 1001, 1));
        assertThat(linux.hasNamespace("user")).isTrue();
        assertThat(linux.hasNamespace("network")).isFalse();
    }

    @Test
    void runcDefaultSpecRoundTrips() {
        Spec spec = parse(RuncSpecs.DEFAULT);
        String written = write(spec);
        assertThat(parse(written)).isEqualTo(spec);
        assertThat(written).contains("\"ociVersion\" : \"1.0.2-dev\"").doesNotContain("null");
    }

    @Test
    void engineConfigParsesAndRoundTrips() {
        Spec spec = parse(ENGINE_CONFIG);
        assertThat(spec.hooksOrEmpty().prestartOrEmpty()).singleElement().satisfies(hook -> {
            assertThat(hook.path()).isEqualTo("/usr/bin/netns-hook");
            assertThat(hook.timeout()).isEqualTo(5);
        });
        assertThat(spec.process().ioPriority().ioClass()).isEqualTo("IOPRIO_CLASS_BE");
        assertThat(spec.process().execCPUAffinity().finalCpus()).isEqualTo("0-1");
        assertThat(spec.linux().namespace("network")).get().extracting(LinuxNamespace::path)
                .isEqualTo("/var/run/netns/x");
        assertThat(spec.linux().seccomp().syscallsOrEmpty()).hasSize(3);
        assertThat(spec.process().userOrRoot().additionalGids()).containsExactly(10L, 4294967294L);
        assertThat(parse(write(spec))).isEqualTo(spec);
    }

    @Test
    void unsignedValuesKeepTheirBitPatternAndAreWrittenUnsigned() {
        Spec spec = parse(ENGINE_CONFIG);
        PosixRlimit nofile = spec.process().rlimits().getFirst();
        assertThat(nofile.hard()).isEqualTo(-1L);
        assertThat(nofile.soft()).isEqualTo(1024L);
        LinuxResources resources = spec.linux().resources();
        assertThat(resources.memory().swappiness()).isEqualTo(-1L);
        assertThat(resources.memory().limit()).isEqualTo(-1L);
        assertThat(resources.cpu().quota()).isEqualTo(-1L);
        assertThat(resources.blockIO().throttleReadBpsDevice().getFirst().rate()).isEqualTo(-1L);
        LinuxSeccompArg arg = spec.linux().seccomp().syscalls().get(1).args().getFirst();
        assertThat(arg.value()).isEqualTo(0xFFFF_FFFF_0000_0000L);
        assertThat(arg.valueTwoBits()).isZero();

        String written = write(spec);
        assertThat(written)
                .contains("\"hard\" : 18446744073709551615")
                .contains("\"swappiness\" : 18446744073709551615")
                .contains("\"value\" : 18446744069414584320")
                .contains("\"limit\" : -1");
    }

    @Test
    void negativeUint64IsRejectedWithItsPath() {
        String json = RuncSpecs.DEFAULT.replace("\"hard\": 1024", "\"hard\": -1");
        assertInvalid(json, "config.json: process.rlimits[0].hard: must be an unsigned 64-bit integer, got -1");
    }

    @Test
    void uint64AboveRangeIsRejected() {
        String json = RuncSpecs.DEFAULT.replace("\"soft\": 1024", "\"soft\": 18446744073709551616");
        assertInvalid(json, "config.json: process.rlimits[0].soft: must be an unsigned 64-bit integer, got 18446744073709551616");
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = RuncSpecs.DEFAULT.replace("\"hostname\": \"runc\",",
                "\"hostname\": \"runc\", \"vendorExtension\": {\"x\": [1, 2]}, \"windows\": {\"layerFolders\": []},");
        assertThat(parse(json)).isEqualTo(OciSpecs.defaultSpec());
    }

    @Test
    void explicitNullsReadAsAbsent() {
        String json = """
                {"ociVersion": "1.0.0", "process": {"terminal": null, "user": {"uid": 0, "gid": 0, "umask": null},
                 "args": ["sh"], "env": null, "cwd": "/", "capabilities": null, "rlimits": null, "oomScoreAdj": null},
                 "root": {"path": "rootfs", "readonly": null}, "hostname": null, "mounts": null, "hooks": null,
                 "annotations": null, "linux": {"namespaces": null, "resources": null, "seccomp": null}}
                """;
        Spec spec = parse(json);
        assertThat(spec.process().terminal()).isFalse();
        assertThat(spec.process().envOrEmpty()).isEmpty();
        assertThat(spec.process().oomScoreAdj()).isNull();
        assertThat(spec.mountsOrEmpty()).isEmpty();
        assertThat(spec.linux().namespacesOrEmpty()).isEmpty();
        assertThat(write(spec)).doesNotContain("null").doesNotContain("hostname");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        String json = "{\n  \"ociVersion\": \"1.0.0\",\n  \"root\" {\n}";
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(GantryException.class)
                .hasMessageStartingWith("config.json: malformed JSON at line 3, column 10: ")
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void wrongTypeNamesTheField() {
        String json = RuncSpecs.DEFAULT.replace("\"terminal\": true", "\"terminal\": [1]");
        assertThatThrownBy(() -> parse(json)).hasMessageStartingWith("config.json: process.terminal: ");
    }

    @Test
    void readNamesTheFileAndReportsMissingFiles(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        assertThatThrownBy(() -> OciSpecs.read(config))
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        Files.writeString(config, RuncSpecs.DEFAULT);
        assertThat(OciSpecs.read(config)).isEqualTo(OciSpecs.defaultSpec());
    }

    @Test
    void stateReadsAndWritesSpecStatuses() throws Exception {
        String json = """
                {"ociVersion": "1.0.2", "id": "c1", "status": "paused", "pid": 42, "bundle": "/b", "extra": 1}
                """;
        State state = OciSpecs.decode(json.getBytes(StandardCharsets.UTF_8), State.class, "state.json");
        assertThat(state.status()).isEqualTo(State.Status.PAUSED);
        assertThat(OciJson.mapper().writeValueAsString(new State("1.0.2", "c1", State.Status.CREATED, 7, "/b", null)))
                .isEqualTo("{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"created\",\"pid\":7,\"bundle\":\"/b\"}");
        assertThatThrownBy(() -> OciSpecs.decode(json.replace("paused", "sleeping").getBytes(StandardCharsets.UTF_8),
                State.class, "state.json"))
                .hasMessageStartingWith("state.json: status: ")
                .hasMessageContaining("unknown container status \"sleeping\"");
    }

    // ---- one test per validation rule, each asserting the exact one-line message ----

    @Test
    void emptyArgs() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"sh\"", ""), "config.json: process.args: must not be empty");
    }

    @Test
    void relativeCwd() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"cwd\": \"/\"", "\"cwd\": \"work\""),
                "config.json: process.cwd: must be an absolute path, got \"work\"");
    }

    @Test
    void missingCwd() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"cwd\": \"/\",", ""), "config.json: process.cwd: is required");
    }

    @Test
    void unknownNamespaceType() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"type\": \"ipc\"", "\"type\": \"foo\""),
                "config.json: linux.namespaces[2].type: unknown namespace type \"foo\"");
    }

    @Test
    void duplicateNamespaceType() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"type\": \"ipc\"", "\"type\": \"pid\""),
                "config.json: linux.namespaces[2].type: duplicate namespace type \"pid\"");
    }

    @Test
    void relativeNamespacePath() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"type\": \"ipc\"", "\"type\": \"ipc\", \"path\": \"proc/1/ns/ipc\""),
                "config.json: linux.namespaces[2].path: must be an absolute path, got \"proc/1/ns/ipc\"");
    }

    @Test
    void unknownRootfsPropagation() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"linux\": {", "\"linux\": {\"rootfsPropagation\": \"sideways\","),
                "config.json: linux.rootfsPropagation: unknown propagation \"sideways\" (expected private, shared, slave or unbindable)");
    }

    @Test
    void rlimitTypeNotRlimit() {
        assertInvalid(RuncSpecs.DEFAULT.replace("RLIMIT_NOFILE", "NOFILE"),
                "config.json: process.rlimits[0].type: unknown rlimit type \"NOFILE\" (expected RLIMIT_*, see getrlimit(2))");
    }

    @Test
    void duplicateRlimit() {
        String json = RuncSpecs.DEFAULT.replace("\"rlimits\": [",
                "\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1, \"soft\": 1},");
        assertInvalid(json, "config.json: process.rlimits[1].type: duplicate rlimit type \"RLIMIT_NOFILE\"");
    }

    @Test
    void zeroMappingSize() {
        assertInvalid(RuncSpecs.ROOTLESS.replaceFirst("\"size\": 1", "\"size\": 0"),
                "config.json: linux.uidMappings[0].size: must be at least 1");
    }

    @Test
    void negativeMappingSize() {
        assertInvalid(RuncSpecs.ROOTLESS.replaceFirst("\"size\": 1", "\"size\": -5"),
                "config.json: linux.uidMappings[0].size: must be an unsigned 32-bit integer, got -5");
    }

    @Test
    void gidMappingSizeZeroNamesGidMappings() {
        int last = RuncSpecs.ROOTLESS.lastIndexOf("\"size\": 1");
        String json = RuncSpecs.ROOTLESS.substring(0, last) + "\"size\": 0" + RuncSpecs.ROOTLESS.substring(last + 10);
        assertInvalid(json, "config.json: linux.gidMappings[0].size: must be at least 1");
    }

    @Test
    void missingOciVersion() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"ociVersion\": \"1.0.2-dev\",", ""),
                "config.json: ociVersion: is required");
    }

    @Test
    void nonSemverOciVersion() {
        assertInvalid(RuncSpecs.DEFAULT.replace("1.0.2-dev", "one"),
                "config.json: ociVersion: must be a SemVer 2.0.0 version, got \"one\"");
    }

    @Test
    void missingRootPath() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"path\": \"rootfs\",", ""), "config.json: root.path: is required");
    }

    @Test
    void missingRoot() {
        String json = "{\"ociVersion\": \"1.0.0\"}";
        assertInvalid(json, "config.json: root.path: is required");
    }

    @Test
    void relativeHookPath() {
        assertInvalid(ENGINE_CONFIG.replace("/usr/libexec/hook", "hook"),
                "config.json: hooks.createRuntime[0].path: must be an absolute path, got \"hook\"");
    }

    @Test
    void zeroHookTimeout() {
        assertInvalid(ENGINE_CONFIG.replace("\"timeout\": 5", "\"timeout\": 0"),
                "config.json: hooks.prestart[0].timeout: must be greater than zero, got 0");
    }

    @Test
    void mountWithoutDestination() {
        assertInvalid(RuncSpecs.DEFAULT.replace("\"destination\": \"/proc\",", ""),
                "config.json: mounts[0].destination: is required");
    }

    @Test
    void mountUidMappingsWithoutGidMappings() {
        String json = ENGINE_CONFIG.replaceFirst(",\\s*\"gidMappings\": \\[[^]]*]", "");
        assertInvalid(json, "config.json: mounts[1].gidMappings: uidMappings and gidMappings must be given together");
    }

    @Test
    void uidAboveUint32() {
        assertInvalid(ENGINE_CONFIG.replace("\"uid\": 1000", "\"uid\": 4294967296"),
                "config.json: process.user.uid: must be an unsigned 32-bit integer, got 4294967296");
    }

    @Test
    void deviceWithoutMajor() {
        assertInvalid(ENGINE_CONFIG.replace("\"major\": 10, ", ""),
                "config.json: linux.devices[0].major: is required for device type c");
    }

    @Test
    void unknownDeviceType() {
        assertInvalid(ENGINE_CONFIG.replace("\"path\": \"/dev/fuse\", \"type\": \"c\"", "\"path\": \"/dev/fuse\", \"type\": \"x\""),
                "config.json: linux.devices[0].type: unknown device type \"x\" (expected c, b, u or p)");
    }

    @Test
    void seccompWithoutDefaultAction() {
        assertInvalid(ENGINE_CONFIG.replace("\"defaultAction\": \"SCMP_ACT_ERRNO\",", ""),
                "config.json: linux.seccomp.defaultAction: is required");
    }

    @Test
    void seccompUnknownAction() {
        assertInvalid(ENGINE_CONFIG.replace("\"action\": \"SCMP_ACT_ALLOW\"}", "\"action\": \"SCMP_ACT_MAYBE\"}"),
                "config.json: linux.seccomp.syscalls[0].action: unknown seccomp action \"SCMP_ACT_MAYBE\"");
    }

    @Test
    void seccompErrnoOnAllow() {
        assertInvalid(ENGINE_CONFIG.replace("\"action\": \"SCMP_ACT_ALLOW\"}", "\"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}"),
                "config.json: linux.seccomp.syscalls[0].errnoRet: is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW");
    }

    @Test
    void seccompEmptyNames() {
        assertInvalid(ENGINE_CONFIG.replace("[\"read\", \"write\"]", "[]"),
                "config.json: linux.seccomp.syscalls[0].names: must not be empty");
    }

    @Test
    void seccompUnknownOperator() {
        assertInvalid(ENGINE_CONFIG.replace("SCMP_CMP_MASKED_EQ", "SCMP_CMP_LIKE"),
                "config.json: linux.seccomp.syscalls[1].args[0].op: unknown operator \"SCMP_CMP_LIKE\"");
    }

    @Test
    void seccompArgIndexOutOfRange() {
        assertInvalid(ENGINE_CONFIG.replace("\"index\": 0", "\"index\": 6"),
                "config.json: linux.seccomp.syscalls[1].args[0].index: must be 0..5 (a syscall has six arguments), got 6");
    }

    @Test
    void seccompUnknownArchitecture() {
        assertInvalid(ENGINE_CONFIG.replace("\"SCMP_ARCH_X32\"", "\"SCMP_ARCH_VAX\""),
                "config.json: linux.seccomp.architectures[2]: unknown architecture \"SCMP_ARCH_VAX\"");
    }

    @Test
    void hugepageSizeFormat() {
        assertInvalid(ENGINE_CONFIG.replace("\"2MB\"", "\"2M\""),
                "config.json: linux.resources.hugepageLimits[0].pageSize: must look like 2MB or 1GB, got \"2M\"");
    }

    @Test
    void unknownTimeOffsetClock() {
        assertInvalid(ENGINE_CONFIG.replace("\"monotonic\": {", "\"realtime\": {"),
                "config.json: linux.timeOffsets.realtime: unknown clock (expected boottime or monotonic)");
    }

    @Test
    void validateChecksSpecsBuiltInCode() {
        Spec spec = OciSpecs.defaultSpec();
        OciSpecs.validate(spec);
        Spec bad = spec.withProcess(spec.process().withArgs(List.of()));
        assertThatThrownBy(() -> OciSpecs.validate(bad)).hasMessage("config.json: process.args: must not be empty");
    }

    private static void assertInvalid(String json, String message) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(GantryException.class)
                .hasMessage(message)
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void unsignedValuesSurviveATreeConversion() {
        Spec spec = OciSpecs.defaultSpec();
        Process p = spec.process();
        Process limited = new Process(false, null, p.user(), p.args(), null, p.env(), p.cwd(), p.capabilities(),
                java.util.List.of(new PosixRlimit("RLIMIT_NOFILE", -1L, 38L)), true, null, null, null, null, null, null);
        var tree = OciJson.mapper().valueToTree(spec.withProcess(limited));
        Spec back = OciJson.mapper().convertValue(tree, Spec.class);
        assertThat(back.process().rlimits().getFirst().soft()).isEqualTo(38L);
        assertThat(back.process().rlimits().getFirst().hard()).isEqualTo(-1L);
        assertThat(tree.at("/process/rlimits/0/hard").isIntegralNumber()).isTrue();
    }
}
