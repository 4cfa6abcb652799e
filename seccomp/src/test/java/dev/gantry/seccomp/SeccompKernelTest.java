package dev.gantry.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.oci.runtime.LinuxSeccompArg;
import dev.gantry.oci.runtime.LinuxSyscall;
import dev.gantry.testkit.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the kernel accepts and enforces compiled programs: a tiny C program (built here with
 * gcc, test scaffolding only) loads the filter bytes, sets no_new_privs, installs the filter
 * with seccomp(2) and prints the errno of a few syscalls.
 */
@RequiresRoot
class SeccompKernelTest {
    private static final String PROBE_C = """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <sched.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <unistd.h>
            #include <linux/filter.h>
            #include <linux/seccomp.h>
            #include <sys/prctl.h>
            #include <sys/syscall.h>

            static void report(const char *name, long rc) {
                printf("%s=%d\\n", name, rc < 0 ? errno : 0);
            }

            int main(int argc, char **argv) {
                static struct sock_filter insns[4096];
                FILE *in = fopen(argv[1], "rb");
                if (in == NULL) { perror("fopen"); return 2; }
                size_t n = fread(insns, sizeof(insns[0]), 4096, in);
                fclose(in);
                struct sock_fprog prog = { .len = (unsigned short) n, .filter = insns };
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) { perror("prctl"); return 3; }
                errno = 0;
                report("seccomp", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, strtoul(argv[2], NULL, 0), &prog));
                errno = 0;
                report("unshare", unshare(CLONE_NEWUTS));
                errno = 0;
                report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* KEY_SPEC_SESSION_KEYRING */, 0));
                errno = 0;
                report("clone3", syscall(SYS_clone3, NULL, 0));
                errno = 0;
                long pid = syscall(SYS_getpid);
                printf("getpid=%s\\n", pid == getpid() && pid > 0 ? "ok" : "bad");
                return 0;
            }
            """;

    @TempDir
    static Path dir;
    private static Path probe;
    private final SeccompCompiler compiler = new SeccompCompiler();

    @BeforeAll
    static void buildProbe() throws Exception {
        probe = Gcc.build(dir, "probe", PROBE_C, "gcc");
    }

    @Test
    void dockerDefaultProfileIsEnforcedByTheKernel() throws Exception {
        LinuxSeccomp seccomp = DockerSeccompProfileTest.dockerDefault()
                .toLinuxSeccomp(DockerSeccompProfileTest.DOCKER_DEFAULT_CAPS);
        Map<String, String> result = runProbe(compiler.compile(seccomp));
        assertThat(result).containsEntry("seccomp", "0")
                .containsEntry("unshare", "1")   // EPERM
                .containsEntry("keyctl", "1")    // EPERM
                .containsEntry("clone3", "38")   // ENOSYS, so that glibc falls back to clone
                .containsEntry("getpid", "ok");
    }

    @Test
    void permissiveFilterChangesNothing() throws Exception {
        LinuxSeccomp allowAll = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_SPEC_ALLOW"), null, null, null);
        Map<String, String> result = runProbe(compiler.compile(allowAll));
        assertThat(result).containsEntry("seccomp", "0")
                .containsEntry("unshare", "0")   // root may unshare its UTS namespace
                .containsEntry("clone3", "22")   // EINVAL: a NULL clone_args of size 0
                .containsEntry("getpid", "ok");
        assertThat(result.get("keyctl")).isNotEqualTo("1");
    }

    @Test
    void argumentRulesAreEnforced() throws Exception {
        // unshare is allowed only for flags < CLONE_NEWUTS, so unshare(CLONE_NEWUTS) is denied
        // with a custom errno, while the rest of the syscalls stay allowed.
        LinuxSeccomp seccomp = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, null, null, List.of(
                new LinuxSyscall(List.of("unshare"), "SCMP_ACT_ERRNO", 13L,
                        List.of(new LinuxSeccompArg(0, 0x0400_0000L, null, "SCMP_CMP_GE")))));
        Map<String, String> result = runProbe(compiler.compile(seccomp));
        assertThat(result).containsEntry("seccomp", "0").containsEntry("unshare", "13").containsEntry("getpid", "ok");
    }

    private Map<String, String> runProbe(SeccompProgram program) throws Exception {
        Path filter = dir.resolve("filter-" + System.nanoTime() + ".bpf");
        Files.write(filter, program.filter());
        Process process = new ProcessBuilder(probe.toString(), filter.toString(), Integer.toString(program.flags()))
                .redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("probe output: %s", output).isZero();
            Map<String, String> result = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    result.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            return result;
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(filter);
        }
    }
}
