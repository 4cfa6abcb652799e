package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.Config;
import dev.gantry.engine.HostConfig;
import dev.gantry.oci.runtime.Mount;
import dev.gantry.oci.runtime.Spec;
import dev.gantry.seccomp.DockerSeccompProfile;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SpecBuilderTest {
    private static final HostInfo HOST = new HostInfo(Capabilities.fromMask(0x1fffeffffffL & ~(1L << 24)),
            Map.of("nofile", 20000L, "nproc", -1L), false, "host1", "6.18.0");
    private static DockerSeccompProfile profile;

    @BeforeAll
    static void loadProfile() throws Exception {
        try (InputStream in = SpecBuilderTest.class.getResourceAsStream("/dev/gantry/engine/seccomp-default.json")) {
            profile = DockerSeccompProfile.parse(in.readAllBytes());
        }
    }

    private static Config config() {
        return new Config("img", "abc123", null, null, List.of("FOO=1"), List.of("-c", "true"), List.of("/bin/sh"), "/work",
                null, false, null, null, null, false, false, false);
    }

    private static SpecBuilder.Built build(Config c, HostConfig h) {
        return SpecBuilder.build(new SpecBuilder.Input(c, h, "/rootfs", Map.of("hosts", "/x/hosts"),
                new UserResolver.Resolved(1000, 1000, List.of(29L), "/home/u"),
                List.of(new ResolvedMount("/data", "bind", "/srv", List.of("rbind", "rprivate", "ro"))), List.of(), HOST, profile, "/run/gantry-init"));
    }

    @Test
    void initRunsTheCommandUnderDevInitBoundReadOnly() {
        Spec s = build(config(), HostConfig.builder().init(true).build()).spec();
        assertThat(s.process().args()).containsExactly("/dev/init", "--", "/bin/sh", "-c", "true");
        assertThat(s.mounts()).anySatisfy(m -> {
            assertThat(m.destination()).isEqualTo("/dev/init");
            assertThat(m.source()).isEqualTo("/run/gantry-init");
            assertThat(m.options()).contains("ro");
        });
        assertThat(build(config(), HostConfig.defaults()).spec().mounts()).noneMatch(m -> m.destination().equals("/dev/init"));
    }

    @Test
    void defaultsAreDockerds() {
        Spec s = build(config(), HostConfig.defaults()).spec();
        assertThat(s.process().args()).containsExactly("/bin/sh", "-c", "true");
        assertThat(s.process().env()).containsExactly(SpecBuilder.DEFAULT_PATH, "HOSTNAME=abc123", "FOO=1", "HOME=/home/u");
        assertThat(s.process().cwd()).isEqualTo("/work");
        assertThat(s.process().user().uid()).isEqualTo(1000);
        assertThat(s.process().user().additionalGids()).containsExactly(29L);
        assertThat(s.process().capabilities().bounding()).containsExactlyInAnyOrderElementsOf(Capabilities.DOCKER_DEFAULT);
        assertThat(s.hostname()).isEqualTo("abc123");
        assertThat(s.linux().seccomp()).isNotNull();
        assertThat(s.linux().maskedPaths()).contains("/proc/kcore");
        assertThat(s.linux().namespaces()).extracting(n -> n.type()).containsExactlyInAnyOrder("pid", "ipc", "uts", "mount", "network");
        assertThat(s.mounts()).extracting(Mount::destination)
                .containsSubsequence("/proc", "/dev", "/sys", "/dev/shm", "/etc/hosts", "/data");
        assertThat(s.root().readonly()).isFalse();
    }

    @Test
    void resourcesAndSecurityOptions() {
        HostConfig h = HostConfig.builder().memory(64L << 20).nanoCpus(500_000_000L).cpuShares(512).pidsLimit(20L)
                .capAdd(List.of("NET_ADMIN")).capDrop(List.of("chown")).securityOpt(List.of("seccomp=unconfined", "no-new-privileges"))
                .readonlyRootfs(true).oomScoreAdj(300).shmSize(1 << 20)
                .ulimits(List.of(new HostConfig.Ulimit("nofile", 100, 200))).networkMode("host").build();
        Spec s = build(config(), h).spec();
        var r = s.linux().resources();
        assertThat(r.memory().limit()).isEqualTo(64L << 20);
        assertThat(r.memory().swap()).isNull();
        assertThat(r.cpu().quota()).isEqualTo(50_000L);
        assertThat(r.cpu().period()).isEqualTo(100_000L);
        assertThat(r.cpu().shares()).isEqualTo(512L);
        assertThat(r.pids().limit()).isEqualTo(20L);
        assertThat(s.process().capabilities().bounding()).contains("CAP_NET_ADMIN").doesNotContain("CAP_CHOWN");
        assertThat(s.linux().seccomp()).isNull();
        assertThat(s.process().noNewPrivileges()).isTrue();
        assertThat(s.root().readonly()).isTrue();
        assertThat(s.process().oomScoreAdj()).isEqualTo(300);
        assertThat(s.process().rlimits()).singleElement().satisfies(l -> {
            assertThat(l.type()).isEqualTo("RLIMIT_NOFILE");
            assertThat(l.hard()).isEqualTo(200L);
        });
        assertThat(s.linux().namespaces()).extracting(n -> n.type()).doesNotContain("network");
        assertThat(s.hostname()).isEqualTo("host1");
        assertThat(s.mounts()).filteredOn(m -> m.destination().equals("/dev/shm")).singleElement()
                .satisfies(m -> assertThat(m.options()).contains("size=1048576"));
    }

    @Test
    void privilegedGetsEveryCapabilityNoFilterNoMaskedPaths() {
        Spec s = build(config(), HostConfig.builder().privileged(true).build()).spec();
        assertThat(s.process().capabilities().bounding()).contains("CAP_SYS_ADMIN").doesNotContain("CAP_SYS_RESOURCE");
        assertThat(s.linux().seccomp()).isNull();
        assertThat(s.linux().maskedPaths()).isNull();
        assertThat(s.linux().resources().devices()).singleElement().satisfies(d -> assertThat(d.allow()).isTrue());
    }

    @Test
    void refusesWhatTheHostCannotDo() {
        assertThatThrownBy(() -> build(config(), HostConfig.builder()
                .ulimits(List.of(new HostConfig.Ulimit("nofile", 1 << 20, 1 << 20))).build()))
                .hasMessageContaining("above the host's hard limit 20000");
        assertThatThrownBy(() -> build(config(), HostConfig.builder().memory(1024).build())).hasMessageContaining("6MB");
        assertThatThrownBy(() -> build(config(), HostConfig.builder().sysctls(Map.of("kernel.hostname", "x")).build()))
                .hasMessageContaining("not namespaced");
        assertThatThrownBy(() -> build(config(), HostConfig.builder().securityOpt(List.of("bogus")).build()))
                .hasMessageContaining("SecurityOpt");
        assertThatThrownBy(() -> build(config(), HostConfig.builder().capAdd(List.of("FLY")).build()))
                .hasMessageContaining("unknown capability");
        assertThat(build(config(), HostConfig.builder().memory(64L << 20).memorySwap(128L << 20).build()).warnings())
                .singleElement().asString().contains("swap");
    }

    @Test
    void bindsAreParsed() {
        var m = MountPlanner.parseBind("/srv:/data:ro,rshared");
        assertThat(m.readOnly()).isTrue();
        assertThat(m.propagation()).isEqualTo("rshared");
        assertThat(MountPlanner.parseBind("vol:/data").type()).isEqualTo(dev.gantry.engine.MountSpec.Type.VOLUME);
        assertThatThrownBy(() -> MountPlanner.parseBind("/only")).hasMessageContaining("Binds");
        assertThatThrownBy(() -> MountPlanner.parseBind("/a:/b:bogus")).hasMessageContaining("invalid mode");
    }
}
