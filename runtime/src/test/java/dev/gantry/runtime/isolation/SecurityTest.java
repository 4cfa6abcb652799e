package dev.gantry.runtime.isolation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.oci.runtime.OciJson;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.seccomp.DockerSeccompProfile;
import dev.gantry.testkit.BusyboxRootfs;
import dev.gantry.testkit.IdMapping;
import dev.gantry.testkit.OciBundle;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The locks: capabilities, Docker's default seccomp profile, and exec joining every namespace. */
@RequiresRoot
class SecurityTest extends InProcessContainers {
    /** Docker's default profile, kept in the repository by the seccomp module's tests. */
    private static final Path DOCKER_PROFILE = Path.of("../seccomp/src/test/resources/docker-default-seccomp.json");
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE");
    /** Bits 0, 5 and 10. */
    private static final long CAPS_MASK = (1L << 0) | (1L << 5) | (1L << 10);
    private static final long NET_BIND_SERVICE = 1L << 10;

    @Test
    void rootGetsExactlyTheBoundingSet() {
        OciSpec spec = OciSpec.runcDefault().shell("grep ^Cap /proc/self/status")
                .set("process.capabilities", Map.of("bounding", CAPS, "effective", CAPS, "permitted", CAPS));
        Finished f = runToEnd("capsroot", spec);
        Map<String, Long> caps = caps(f.output());
        assertThat(caps.get("CapBnd")).isEqualTo(CAPS_MASK);
        // execve(2) as uid 0 grants the bounding set as permitted and effective (capabilities(7)).
        assertThat(caps.get("CapPrm")).isEqualTo(CAPS_MASK);
        assertThat(caps.get("CapEff")).isEqualTo(CAPS_MASK);
        assertThat(caps.get("CapInh")).isZero();
        assertThat(caps.get("CapAmb")).isZero();
        assertThat(caps.get("CapEff") & (1L << 21)).as("CAP_SYS_ADMIN").isZero();
    }

    @Test
    void nonRootKeepsOnlyItsAmbientCapabilities() {
        List<String> one = List.of("CAP_NET_BIND_SERVICE");
        OciSpec spec = OciSpec.runcDefault().user(1000, 1000).shell("grep ^Cap /proc/self/status")
                .set("process.capabilities", Map.of("bounding", CAPS, "effective", one, "permitted", one,
                        "inheritable", one, "ambient", one));
        Map<String, Long> caps = caps(runToEnd("capsuser", spec).output());
        assertThat(caps).containsEntry("CapBnd", CAPS_MASK)
                .containsEntry("CapInh", NET_BIND_SERVICE)
                .containsEntry("CapPrm", NET_BIND_SERVICE)
                .containsEntry("CapEff", NET_BIND_SERVICE)
                .containsEntry("CapAmb", NET_BIND_SERVICE);
    }

    @Test
    void dockerDefaultProfileRefusesNamespacesAndKeyringsButRunsOrdinaryPrograms() throws Exception {
        Path probe = keyringProbe();
        String script = "unshare -U true; echo userns=$?; unshare -u true; echo uts=$?; /probe;"
                + " ls / > /dev/null; echo ls=$?; sh -c 'echo nested=ok'";

        OciSpec open = OciSpec.runcDefault().shell(script);
        Finished control = runToEnd("noseccomp", withProbe(open, probe));
        // Without a filter a user namespace needs no capability: the profile is what refuses it below.
        assertThat(control.output()).contains("userns=0").doesNotContain("keyctl=Operation not permitted")
                .doesNotContain("add_key=Operation not permitted");

        LinuxSeccomp seccomp = DockerSeccompProfile.read(DOCKER_PROFILE).toLinuxSeccomp(List.of("CAP_AUDIT_WRITE",
                "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        OciBundle filtered = withProbe(OciSpec.runcDefault().shell(script), probe);
        // Through text: the OCI mapper's unsigned 64-bit writer turns into a float in valueToTree.
        ObjectNode config = (ObjectNode) OciJson.mapper().readTree(filtered.config().toFile());
        ((ObjectNode) config.get("linux")).set("seccomp",
                OciJson.mapper().readTree(OciJson.mapper().writeValueAsString(seccomp)));
        filtered.writeRawConfig(OciJson.mapper().writeValueAsString(config));
        Finished f = runToEnd("seccomp", filtered);
        assertThat(f.output())
                .contains("unshare(0x10000000): Operation not permitted").contains("userns=1")
                .contains("uts=1")
                .contains("keyctl=Operation not permitted").contains("add_key=Operation not permitted")
                .contains("ls=0").contains("nested=ok");
        assertThat(f.status().shellCode()).isZero();
    }

    @Test
    void execJoinsEveryNamespaceOfAUserNamespacedContainerAndItsCgroup() throws Exception {
        int base = 100000;
        int size = 65536;
        // The helper reaches the rootfs as the container's root, an unprivileged uid on the host.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        OciSpec spec = OciSpec.runcDefault().namespace("user").namespace("cgroup")
                .uidMapping(new IdMapping(0, base, size)).gidMapping(new IdMapping(0, base, size))
                // A v1 hierarchy cannot be mounted from a user namespace.
                .withoutMount("/sys/fs/cgroup")
                .args("sleep", "1000");
        OciBundle b = OciBundle.withoutRootfs(tmp.resolve("userns"), spec.terminal(false));
        BusyboxRootfs.copyTo(b.rootfs());
        TestFiles.chownTree(b.rootfs(), base, base);
        String id = newId("userns");
        ContainerRuntime.Created c = run(id, b, tmp.resolve("init.out"));
        int pid = exec(id, tmp.resolve("exec.out"), "sleep", "1000");

        for (String ns : List.of("user", "mnt", "pid", "net", "ipc", "uts", "cgroup")) {
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns))).as(ns)
                    .isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + c.pid() + "/ns/" + ns)));
        }
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/user")))
                .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/user")));
        assertThat(read(Path.of("/proc/" + pid + "/uid_map")).split("\\s+")).containsExactly("0", "" + base, "" + size);
        assertThat(read(Path.of("/proc/" + pid + "/status"))).containsPattern("Uid:\\s+" + base + "\\s+" + base);
        // The same cgroup in every hierarchy, as the host sees it.
        assertThat(hostCgroups(pid)).isEqualTo(hostCgroups(c.pid())).anySatisfy(l -> assertThat(l).endsWith("/gantry/" + id));
        assertThat(rt.ps(id)).contains(c.pid(), pid);
    }

    private static Map<String, Long> caps(String statusLines) {
        Map<String, Long> caps = new HashMap<>();
        for (String line : statusLines.split("\n")) {
            String[] kv = line.split(":\\s+");
            if (kv.length == 2 && kv[0].startsWith("Cap")) {
                caps.put(kv[0], Long.parseUnsignedLong(kv[1].strip(), 16));
            }
        }
        assertThat(caps).as(statusLines).containsKeys("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb");
        return caps;
    }

    /** /proc/PID/cgroup read from the host (our cgroup namespace): the container's real cgroup. */
    private static List<String> hostCgroups(int pid) {
        return read(Path.of("/proc/" + pid + "/cgroup")).lines().sorted().toList();
    }

    /**
     * A static program calling keyctl(2) and add_key(2) without side effects (read the session
     * keyring id without creating one; add_key with a null type), printing each call's error.
     */
    private Path keyringProbe() throws IOException, InterruptedException {
        Path src = tmp.resolve("probe.c");
        Path bin = tmp.resolve("probe");
        Files.writeString(src, """
                #include <errno.h>
                #include <stdio.h>
                #include <string.h>
                #include <unistd.h>
                #include <sys/syscall.h>
                int main(void) {
                    long r = syscall(SYS_keyctl, 0L, -3L, 0L);
                    printf("keyctl=%s\\n", r < 0 ? strerror(errno) : "ok");
                    r = syscall(SYS_add_key, 0L, 0L, 0L, 0L, -3L);
                    printf("add_key=%s\\n", r < 0 ? strerror(errno) : "ok");
                    return 0;
                }
                """);
        java.lang.Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-static", "-O1", "-o", bin.toString(), src.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeThat(false).as("gcc is needed to build the keyring probe: " + e.getMessage()).isTrue();
            throw e;
        }
        String log = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gcc.exitValue()).as(log).isZero();
        return bin;
    }

    private OciBundle withProbe(OciSpec spec, Path probe) throws IOException {
        OciBundle b = bundle(spec);
        Files.copy(probe, b.rootfs().resolve("probe"));
        return b;
    }
}
