package dev.gantry.seccomp;

import static dev.gantry.seccomp.SeccompAction.RET_ALLOW;
import static dev.gantry.seccomp.SeccompAction.RET_ERRNO;
import static dev.gantry.seccomp.SeccompAction.RET_KILL_THREAD;
import static dev.gantry.seccomp.SeccompCompilerTest.AARCH64;
import static dev.gantry.seccomp.SeccompCompilerTest.EPERM;
import static dev.gantry.seccomp.SeccompCompilerTest.I386;
import static dev.gantry.seccomp.SeccompCompilerTest.X86_64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.runtime.LinuxSeccomp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerSeccompProfileTest {
    /** dockerd's default capability set (oci/caps/defaults.go): no CAP_SYS_ADMIN. */
    static final List<String> DOCKER_DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    static final int CLONE_NEWUTS = 0x0400_0000;
    static final int SIGCHLD = 17;

    static DockerSeccompProfile dockerDefault() {
        try (InputStream in = DockerSeccompProfileTest.class.getResourceAsStream("/docker-default-seccomp.json")) {
            return DockerSeccompProfile.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static LinuxSeccomp dockerDefault(List<String> caps) {
        return dockerDefault().toLinuxSeccomp(caps, "amd64", "6.18.0-1-amd64");
    }

    private final SeccompCompiler compiler = new SeccompCompiler();

    @Test
    void conversionPicksTheNativeArchMapAndFiltersByCapability() {
        LinuxSeccomp seccomp = dockerDefault(DOCKER_DEFAULT_CAPS);
        assertThat(seccomp.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(seccomp.defaultErrnoRet()).isEqualTo(1L);
        assertThat(seccomp.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        List<String> allowed = namesWithAction(seccomp, "SCMP_ACT_ALLOW");
        assertThat(allowed).contains("read", "getpid", "arch_prctl", "chroot", "clone")
                .doesNotContain("unshare", "mount", "reboot", "s390_pci_mmio_read", "sync_file_range2");
        assertThat(namesWithAction(seccomp, "SCMP_ACT_ERRNO")).containsExactly("clone3");

        LinuxSeccomp admin = dockerDefault(plus(DOCKER_DEFAULT_CAPS, "CAP_SYS_ADMIN", "CAP_SYS_PTRACE"));
        assertThat(namesWithAction(admin, "SCMP_ACT_ALLOW")).contains("unshare", "mount", "ptrace", "clone3");
        assertThat(namesWithAction(admin, "SCMP_ACT_ERRNO")).isEmpty();
    }

    @Test
    void minKernelAndArchFilters() {
        LinuxSeccomp oldKernel = dockerDefault().toLinuxSeccomp(DOCKER_DEFAULT_CAPS, "amd64", "4.4.0");
        LinuxSeccomp newKernel = dockerDefault(DOCKER_DEFAULT_CAPS);
        assertThat(namesWithAction(newKernel, "SCMP_ACT_ALLOW")).containsAll(minKernelNames());
        assertThat(namesWithAction(oldKernel, "SCMP_ACT_ALLOW")).doesNotContainAnyElementsOf(minKernelNames());

        LinuxSeccomp arm = dockerDefault().toLinuxSeccomp(DOCKER_DEFAULT_CAPS, "arm64", "6.1");
        assertThat(arm.architectures()).containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
        assertThat(namesWithAction(arm, "SCMP_ACT_ALLOW")).contains("sync_file_range2").doesNotContain("arch_prctl");
    }

    @Test
    void nameAndNamesAreExclusive() {
        String json = """
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"name": "read", "names": ["write"], "action": "SCMP_ACT_ALLOW"}]}
                """;
        DockerSeccompProfile profile = DockerSeccompProfile.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> profile.toLinuxSeccomp(DOCKER_DEFAULT_CAPS, "amd64", "6.1"))
                .hasMessage("seccomp profile: syscalls[0]: use either name or names, not both");
    }

    @Test
    void kernelVersionComparison() {
        assertThat(DockerSeccompProfile.kernelAtLeast("6.18.0-1-amd64", "4.8")).isTrue();
        assertThat(DockerSeccompProfile.kernelAtLeast("4.8.0", "4.8")).isTrue();
        assertThat(DockerSeccompProfile.kernelAtLeast("4.7.10", "4.8")).isFalse();
        assertThat(DockerSeccompProfile.kernelAtLeast("3.10", "4.8")).isFalse();
    }

    @Test
    void dockerDefaultFitsTheKernelLimit() {
        SeccompProgram program = compiler.compile(dockerDefault(DOCKER_DEFAULT_CAPS));
        SeccompProgram admin = compiler.compile(dockerDefault(plus(DOCKER_DEFAULT_CAPS, "CAP_SYS_ADMIN")));
        System.out.printf("docker default profile: %d BPF instructions (%d with CAP_SYS_ADMIN)%n",
                program.instructionCount(), admin.instructionCount());
        assertThat(program.instructionCount()).isLessThan(Bpf.MAX_INSNS);
        assertThat(admin.instructionCount()).isLessThan(Bpf.MAX_INSNS);
    }

    @Test
    void dockerDefaultDecisionsWithoutSysAdmin() {
        byte[] filter = compiler.compile(dockerDefault(DOCKER_DEFAULT_CAPS)).filter();
        assertThat(BpfInterpreter.run(filter, 0, X86_64)).as("read").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 39, X86_64)).as("getpid").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 59, X86_64)).as("execve").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 161, X86_64)).as("chroot (CAP_SYS_CHROOT)").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 272, X86_64)).as("unshare").isEqualTo(EPERM);
        assertThat(BpfInterpreter.run(filter, 250, X86_64)).as("keyctl").isEqualTo(EPERM);
        assertThat(BpfInterpreter.run(filter, 165, X86_64)).as("mount").isEqualTo(EPERM);
        assertThat(BpfInterpreter.run(filter, 101, X86_64)).as("ptrace (allowed from kernel 4.8)").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 169, X86_64)).as("reboot").isEqualTo(EPERM);
        assertThat(BpfInterpreter.run(filter, 435, X86_64)).as("clone3").isEqualTo(RET_ERRNO | 38);
        assertThat(BpfInterpreter.run(filter, 455, X86_64)).as("futex_wait (newer than the headers)").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 999, X86_64)).as("unassigned").isEqualTo(EPERM);
        // clone: allowed unless a namespace flag is set (mask 0x7E020000).
        assertThat(BpfInterpreter.run(filter, 56, X86_64, 0x003D_0F00L | SIGCHLD)).isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 56, X86_64, CLONE_NEWUTS | SIGCHLD)).isEqualTo(EPERM);
        // personality: a few exact values only; a high word that differs must not pass.
        assertThat(BpfInterpreter.run(filter, 135, X86_64, 0)).isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 135, X86_64, 8)).isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 135, X86_64, 0xFFFF_FFFFL)).isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 135, X86_64, 0x1_0000_0000L)).isEqualTo(EPERM);
        assertThat(BpfInterpreter.run(filter, 135, X86_64, 1)).isEqualTo(EPERM);
        // i386 and x32 are listed by the archMap; anything else is killed.
        assertThat(BpfInterpreter.run(filter, 20, I386)).as("i386 getpid").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 288, I386)).as("i386 keyctl").isEqualTo(EPERM);
        assertThat(BpfInterpreter.run(filter, 310, I386)).as("i386 unshare").isEqualTo(EPERM);
        assertThat(BpfInterpreter.run(filter, 0x4000_0027, X86_64)).as("x32 getpid").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 0x4000_00fa, X86_64)).as("x32 keyctl").isEqualTo(EPERM);
        assertThat(BpfInterpreter.run(filter, 39, AARCH64)).isEqualTo(RET_KILL_THREAD);
    }

    @Test
    void dockerDefaultDecisionsWithSysAdmin() {
        byte[] filter = compiler.compile(dockerDefault(plus(DOCKER_DEFAULT_CAPS, "CAP_SYS_ADMIN"))).filter();
        assertThat(BpfInterpreter.run(filter, 272, X86_64)).as("unshare").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 165, X86_64)).as("mount").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 56, X86_64, CLONE_NEWUTS | SIGCHLD)).isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 435, X86_64)).as("clone3").isEqualTo(RET_ALLOW);
        assertThat(BpfInterpreter.run(filter, 250, X86_64)).as("keyctl stays denied").isEqualTo(EPERM);
    }

    private static List<String> minKernelNames() {
        String json = new String(readDefault(), StandardCharsets.UTF_8);
        // The default profile has one entry with includes.minKernel (4.8): the names in it.
        int at = json.indexOf("\"minKernel\"");
        int names = json.lastIndexOf("\"names\"", at);
        String list = json.substring(json.indexOf('[', names) + 1, json.indexOf(']', names));
        return java.util.Arrays.stream(list.split(",")).map(s -> s.trim().replace("\"", "")).toList();
    }

    private static byte[] readDefault() {
        try (InputStream in = DockerSeccompProfileTest.class.getResourceAsStream("/docker-default-seccomp.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> namesWithAction(LinuxSeccomp seccomp, String action) {
        return seccomp.syscallsOrEmpty().stream().filter(s -> s.action().equals(action))
                .flatMap(s -> s.namesOrEmpty().stream()).toList();
    }

    static List<String> plus(List<String> caps, String... more) {
        List<String> all = new ArrayList<>(caps);
        all.addAll(List.of(more));
        return all;
    }
}
