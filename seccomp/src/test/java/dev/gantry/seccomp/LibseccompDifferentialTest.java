package dev.gantry.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.oci.runtime.LinuxSeccompArg;
import dev.gantry.oci.runtime.LinuxSyscall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against libseccomp itself (what runc uses): the same profile is compiled
 * by libseccomp (through a test-only C program, seccomp_export_bpf) and by Gantry, and both
 * programs are run in {@link BpfInterpreter} over every x86_64, x32 and i386 syscall number with
 * several argument vectors; the decisions must agree. Syscalls that this libseccomp (2.5.4)
 * does not know are left out: it cannot add rules for them. Needs gcc and libseccomp-dev.
 */
class LibseccompDifferentialTest {
    private static final String EXPORT_C = """
            #include <seccomp.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <fcntl.h>
            #include <unistd.h>

            /* stdin: "default <action>", "arch <x32|x86>", "rule <action> <name> <n> (<arg> <op> <a> <b>)*" */
            int main(int argc, char **argv) {
                char word[64];
                unsigned int def;
                if (scanf("%63s %u", word, &def) != 2) return 2;
                scmp_filter_ctx ctx = seccomp_init(def);
                while (scanf("%63s", word) == 1) {
                    if (strcmp(word, "arch") == 0) {
                        char arch[16];
                        if (scanf("%15s", arch) != 1) return 3;
                        if (seccomp_arch_add(ctx, strcmp(arch, "x32") == 0 ? SCMP_ARCH_X32 : SCMP_ARCH_X86) != 0) return 4;
                    } else {
                        unsigned int action, n;
                        char name[64];
                        struct scmp_arg_cmp cmp[6];
                        if (scanf("%u %63s %u", &action, name, &n) != 3 || n > 6) return 5;
                        for (unsigned int i = 0; i < n; i++) {
                            unsigned int arg, op;
                            unsigned long long a, b;
                            if (scanf("%u %u %llu %llu", &arg, &op, &a, &b) != 4) return 6;
                            cmp[i].arg = arg; cmp[i].op = op; cmp[i].datum_a = a; cmp[i].datum_b = b;
                        }
                        int nr = seccomp_syscall_resolve_name(name);
                        if (seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name) < 0) fprintf(stderr, "unknown-x86_64 %s\\n", name);
                        if (seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, name) < 0) fprintf(stderr, "unknown-x32 %s\\n", name);
                        if (seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, name) < 0) fprintf(stderr, "unknown-i386 %s\\n", name);
                        if (nr == __NR_SCMP_ERROR) continue;
                        int rc = seccomp_rule_add_array(ctx, action, nr, n, cmp);
                        if (rc != 0) { fprintf(stderr, "rule %s: %d\\n", name, rc); return 7; }
                    }
                }
                int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
                if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0) return 8;
                close(fd);
                seccomp_release(ctx);
                return 0;
            }
            """;

    @TempDir
    static Path dir;
    private static Path exporter;

    @BeforeAll
    static void buildExporter() throws Exception {
        exporter = Gcc.build(dir, "export", EXPORT_C, "gcc (needs libseccomp-dev)", "-lseccomp");
    }

    @Test
    void dockerDefaultAgreesWithLibseccomp() throws Exception {
        agree(DockerSeccompProfileTest.dockerDefault(DockerSeccompProfileTest.DOCKER_DEFAULT_CAPS));
    }

    @Test
    void dockerDefaultWithSysAdminAgreesWithLibseccomp() throws Exception {
        agree(DockerSeccompProfileTest.dockerDefault(
                DockerSeccompProfileTest.plus(DockerSeccompProfileTest.DOCKER_DEFAULT_CAPS, "CAP_SYS_ADMIN")));
    }

    @Test
    void argumentOperatorsAgreeWithLibseccomp() throws Exception {
        List<LinuxSyscall> rules = new ArrayList<>();
        String[] ops = {"NE", "LT", "LE", "EQ", "GE", "GT"};
        String[] names = {"read", "write", "open", "close", "stat", "fstat"};
        for (int i = 0; i < ops.length; i++) {
            rules.add(new LinuxSyscall(List.of(names[i]), "SCMP_ACT_ALLOW", null,
                    List.of(new LinuxSeccompArg(i % 3, 0x1_0000_0005L, null, "SCMP_CMP_" + ops[i]))));
        }
        rules.add(new LinuxSyscall(List.of("ioctl"), "SCMP_ACT_ALLOW", null,
                List.of(new LinuxSeccompArg(1, 0xFFFF_0000_FF00L, 0x1234_0000_5600L, "SCMP_CMP_MASKED_EQ"))));
        rules.add(new LinuxSyscall(List.of("kill"), "SCMP_ACT_ERRNO", 3L, List.of(
                new LinuxSeccompArg(0, 1L, null, "SCMP_CMP_EQ"), new LinuxSeccompArg(1, 9L, null, "SCMP_CMP_EQ"))));
        rules.add(new LinuxSyscall(List.of("kill"), "SCMP_ACT_LOG", null, List.of(
                new LinuxSeccompArg(1, 15L, null, "SCMP_CMP_EQ"))));
        agree(new LinuxSeccomp("SCMP_ACT_ERRNO", null, null, null, null, null, rules));
    }

    private static void agree(LinuxSeccomp seccomp) throws Exception {
        Set<String> unknown = new HashSet<>();
        byte[] reference = libseccomp(seccomp, unknown);
        // Names this libseccomp lacks on an ABI cannot get rules there: leave those numbers out.
        byte[] ours = new SeccompCompiler().compile(seccomp).filter();
        boolean x32 = seccomp.architecturesOrEmpty().contains("SCMP_ARCH_X32");
        Set<Integer> skipped = new HashSet<>();
        for (String entry : unknown) {
            String name = entry.substring(entry.indexOf(' ') + 1);
            skipped.add(entry.startsWith("x32 ") ? SyscallTables.X32.getOrDefault(name, -2)
                    : SyscallTables.X86_64.getOrDefault(name, -2));
        }
        List<Integer> numbers = new ArrayList<>();
        for (int nr = 0; nr < 600; nr++) {
            numbers.add(nr);
            numbers.add(Abi.X32_SYSCALL_BIT + nr);
        }
        numbers.add(-1);
        numbers.add(0x7FFF_FFFF);
        long[][] argVectors = {
            {}, {0, 0, 0}, {1, 9, 0}, {1, 15, 0}, {0x1_0000_0005L, 0x1_0000_0005L, 0x1_0000_0005L},
            {5, 5, 5}, {0x1_0000_0006L, 0x1_0000_0004L, 0x2_0000_0000L}, {8}, {0xFFFF_FFFFL}, {0x2_0000_0008L},
            {0x0400_0000L | 17}, {0x003D_0F00L | 17}, {0, 0x1234_0000_56FFL}, {0, 0x1234_FFFF_5600L}, {-1L, -1L, -1L}};
        int compared = 0;
        for (int nr : numbers) {
            if (skipped.contains(nr)) {
                continue;
            }
            for (long[] args : argVectors) {
                int expected = BpfInterpreter.run(reference, nr, Abi.AUDIT_ARCH_X86_64, args);
                int actual = BpfInterpreter.run(ours, nr, Abi.AUDIT_ARCH_X86_64, args);
                assertThat(Integer.toHexString(actual))
                        .as("nr 0x%x args %s (x32 listed: %s)", nr, java.util.Arrays.toString(args), x32)
                        .isEqualTo(Integer.toHexString(expected));
                compared++;
            }
        }
        if (seccomp.architecturesOrEmpty().contains("SCMP_ARCH_X86")) {
            Set<Integer> skipped386 = new HashSet<>();
            for (String entry : unknown) {
                if (entry.startsWith("i386 ")) {
                    skipped386.add(SyscallTables.I386.getOrDefault(entry.substring(5), -2));
                }
            }
            for (int nr = -1; nr < 600; nr++) {
                if (skipped386.contains(nr)) {
                    continue;
                }
                for (long[] args : argVectors) {
                    long[] low = java.util.Arrays.stream(args).map(a -> a & 0xFFFF_FFFFL).toArray();
                    int expected = BpfInterpreter.run(reference, nr, Abi.AUDIT_ARCH_I386, low);
                    int actual = BpfInterpreter.run(ours, nr, Abi.AUDIT_ARCH_I386, low);
                    assertThat(Integer.toHexString(actual))
                            .as("i386 nr %d args %s", nr, java.util.Arrays.toString(low))
                            .isEqualTo(Integer.toHexString(expected));
                    compared++;
                }
            }
        }
        assertThat(BpfInterpreter.run(ours, 0, 0xC000_00B7))
                .isEqualTo(BpfInterpreter.run(reference, 0, 0xC000_00B7));
        assertThat(compared).isGreaterThan(10_000);
    }

    /** Compiles with libseccomp the way runc feeds it: default-action rules dropped, errno defaults EPERM. */
    private static byte[] libseccomp(LinuxSeccomp seccomp, Set<String> unknown) throws Exception {
        int defaultAction = SeccompAction.resolve(seccomp.defaultAction(), seccomp.defaultErrnoRet(), "defaultAction");
        StringBuilder input = new StringBuilder("default " + Integer.toUnsignedString(defaultAction) + "\n");
        for (String arch : seccomp.architecturesOrEmpty()) {
            if (arch.equals("SCMP_ARCH_X32")) {
                input.append("arch x32\n");
            } else if (arch.equals("SCMP_ARCH_X86")) {
                input.append("arch x86\n");
            }
        }
        for (LinuxSyscall syscall : seccomp.syscallsOrEmpty()) {
            int action = SeccompAction.resolve(syscall.action(), syscall.errnoRet(), "action");
            if (action == defaultAction) {
                continue;
            }
            for (String name : syscall.namesOrEmpty()) {
                input.append("rule ").append(Integer.toUnsignedString(action)).append(' ').append(name).append(' ')
                        .append(syscall.argsOrEmpty().size());
                for (LinuxSeccompArg arg : syscall.argsOrEmpty()) {
                    input.append(' ').append(arg.index()).append(' ')
                            .append(Condition.op(arg.op()).ordinal() + 1).append(' ')
                            .append(Long.toUnsignedString(arg.valueBits())).append(' ')
                            .append(Long.toUnsignedString(arg.valueTwoBits()));
                }
                input.append('\n');
            }
        }
        Path out = dir.resolve("reference-" + System.nanoTime() + ".bpf");
        Process process = new ProcessBuilder(exporter.toString(), out.toString()).start();
        process.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("libseccomp exporter: %s", errors).isZero();
        for (String line : errors.split("\n")) {
            if (line.startsWith("unknown-")) {
                unknown.add(line.substring("unknown-".length()).trim());
            }
        }
        byte[] bpf = Files.readAllBytes(out);
        Files.delete(out);
        return bpf;
    }
}
