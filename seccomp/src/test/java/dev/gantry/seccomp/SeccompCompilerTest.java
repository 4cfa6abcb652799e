package dev.gantry.seccomp;

import static dev.gantry.seccomp.SeccompAction.RET_ALLOW;
import static dev.gantry.seccomp.SeccompAction.RET_ERRNO;
import static dev.gantry.seccomp.SeccompAction.RET_KILL_PROCESS;
import static dev.gantry.seccomp.SeccompAction.RET_KILL_THREAD;
import static dev.gantry.seccomp.SeccompAction.RET_LOG;
import static dev.gantry.seccomp.SeccompAction.RET_TRACE;
import static dev.gantry.seccomp.SeccompAction.RET_TRAP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.oci.runtime.LinuxSeccompArg;
import dev.gantry.oci.runtime.LinuxSyscall;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SeccompCompilerTest {
    static final int X86_64 = Abi.AUDIT_ARCH_X86_64;
    static final int I386 = Abi.AUDIT_ARCH_I386;
    static final int AARCH64 = 0xC000_00B7;
    static final int EPERM = RET_ERRNO | 1;

    private final SeccompCompiler compiler = new SeccompCompiler();

    static LinuxSeccomp profile(String defaultAction, List<String> arches, LinuxSyscall... syscalls) {
        return new LinuxSeccomp(defaultAction, null, arches, null, null, null, List.of(syscalls));
    }

    static LinuxSyscall rule(String action, List<String> names, LinuxSeccompArg... args) {
        return new LinuxSyscall(names, action, null, args.length == 0 ? null : List.of(args));
    }

    static LinuxSeccompArg arg(int index, String op, long value) {
        return new LinuxSeccompArg(index, value, null, "SCMP_CMP_" + op);
    }

    private int run(LinuxSeccomp seccomp, int nr, int arch, long... args) {
        return BpfInterpreter.run(compiler.compile(seccomp).filter(), nr, arch, args);
    }

    @Test
    void allowListWithErrnoDefault() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ERRNO", null, rule("SCMP_ACT_ALLOW", List.of("read", "write", "getpid")));
        assertThat(run(seccomp, 0, X86_64)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 39, X86_64)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 2, X86_64)).isEqualTo(EPERM);
        assertThat(run(seccomp, 435, X86_64)).isEqualTo(EPERM);
    }

    @Test
    void everyActionMapsToItsReturnValue() {
        LinuxSeccomp seccomp = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, null, null, List.of(
                rule("SCMP_ACT_KILL", List.of("read")),
                rule("SCMP_ACT_KILL_THREAD", List.of("write")),
                rule("SCMP_ACT_KILL_PROCESS", List.of("open")),
                rule("SCMP_ACT_TRAP", List.of("close")),
                new LinuxSyscall(List.of("stat"), "SCMP_ACT_TRACE", 7L, null),
                rule("SCMP_ACT_TRACE", List.of("fstat")),
                rule("SCMP_ACT_LOG", List.of("lstat")),
                new LinuxSyscall(List.of("poll"), "SCMP_ACT_ERRNO", 38L, null),
                rule("SCMP_ACT_ERRNO", List.of("lseek"))));
        assertThat(run(seccomp, 0, X86_64)).isEqualTo(RET_KILL_THREAD);
        assertThat(run(seccomp, 1, X86_64)).isEqualTo(RET_KILL_THREAD);
        assertThat(run(seccomp, 2, X86_64)).isEqualTo(RET_KILL_PROCESS);
        assertThat(run(seccomp, 3, X86_64)).isEqualTo(RET_TRAP);
        assertThat(run(seccomp, 4, X86_64)).isEqualTo(RET_TRACE | 7);
        assertThat(run(seccomp, 5, X86_64)).isEqualTo(RET_TRACE | 1);
        assertThat(run(seccomp, 6, X86_64)).isEqualTo(RET_LOG);
        assertThat(run(seccomp, 7, X86_64)).isEqualTo(RET_ERRNO | 38);
        assertThat(run(seccomp, 8, X86_64)).isEqualTo(EPERM);
        assertThat(run(seccomp, 9, X86_64)).isEqualTo(RET_ALLOW);
    }

    @Test
    void defaultErrnoRetAppliesToTheDefaultAction() {
        LinuxSeccomp seccomp = new LinuxSeccomp("SCMP_ACT_ERRNO", 38L, null, null, null, null,
                List.of(rule("SCMP_ACT_ALLOW", List.of("read"))));
        assertThat(run(seccomp, 1, X86_64)).isEqualTo(RET_ERRNO | 38);
    }

    @Test
    void foreignArchGetsKillThread() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_ERRNO", List.of("read")));
        assertThat(run(seccomp, 0, AARCH64)).isEqualTo(RET_KILL_THREAD);
        assertThat(run(seccomp, 20, I386)).as("i386 not listed").isEqualTo(RET_KILL_THREAD);
        assertThat(run(seccomp, 39, X86_64)).isEqualTo(RET_ALLOW);
    }

    @Test
    void x32NumbersAreBadArchUnlessListedButMinusOneReachesTheRules() {
        LinuxSeccomp native64 = profile("SCMP_ACT_ERRNO", null, rule("SCMP_ACT_ALLOW", List.of("read")));
        assertThat(run(native64, 0x4000_0000, X86_64)).isEqualTo(RET_KILL_THREAD);
        assertThat(run(native64, 0x4000_0200, X86_64)).isEqualTo(RET_KILL_THREAD);
        assertThat(run(native64, -1, X86_64)).isEqualTo(EPERM);

        LinuxSeccomp withX32 = profile("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32"),
                rule("SCMP_ACT_ALLOW", List.of("read", "rt_sigaction")));
        assertThat(run(withX32, 0x4000_0000, X86_64)).as("x32 read").isEqualTo(RET_ALLOW);
        assertThat(run(withX32, 0x4000_0200, X86_64)).as("x32 rt_sigaction (512)").isEqualTo(RET_ALLOW);
        assertThat(run(withX32, 0x4000_0001, X86_64)).as("x32 write").isEqualTo(EPERM);
        assertThat(run(withX32, 13, X86_64)).as("x86_64 rt_sigaction").isEqualTo(RET_ALLOW);
        assertThat(run(withX32, 0x4000_000d, X86_64)).as("x32 has no rt_sigaction at 13").isEqualTo(EPERM);
    }

    @Test
    void i386UsesItsOwnNumbersAndSkipsNamesItLacks() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
                rule("SCMP_ACT_ALLOW", List.of("getpid", "socketcall", "arch_prctl", "no_such_syscall")));
        assertThat(run(seccomp, 20, I386)).as("i386 getpid").isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 102, I386)).as("i386 socketcall").isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 39, I386)).as("39 is rmdir on i386").isEqualTo(EPERM);
        assertThat(run(seccomp, 39, X86_64)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 102, X86_64)).as("102 is getuid on x86_64").isEqualTo(EPERM);
    }

    @Test
    void maskedEqUsesValueAsMaskAndValueTwoAsDatum() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ERRNO", null, rule("SCMP_ACT_ALLOW", List.of("clone"),
                new LinuxSeccompArg(0, 0xFF00_0000_FF00L, 0x1200_0000_3400L, "SCMP_CMP_MASKED_EQ")));
        assertThat(run(seccomp, 56, X86_64, 0x12AB_0000_34CDL)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 56, X86_64, 0x12FF_FFFF_34FFL)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 56, X86_64, 0x13AB_0000_34CDL)).as("high word differs").isEqualTo(EPERM);
        assertThat(run(seccomp, 56, X86_64, 0x12AB_0000_35CDL)).as("low word differs").isEqualTo(EPERM);
    }

    @Test
    void lessThanComparesTheHighWord() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ERRNO", null,
                rule("SCMP_ACT_ALLOW", List.of("mmap"), arg(1, "LT", 0x1_0000_0000L)));
        assertThat(run(seccomp, 9, X86_64, 0, 0xFFFF_FFFFL)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 9, X86_64, 0, 0)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 9, X86_64, 0, 0x1_0000_0000L)).isEqualTo(EPERM);
        assertThat(run(seccomp, 9, X86_64, 0, 0x2_0000_0000L)).isEqualTo(EPERM);
        assertThat(run(seccomp, 9, X86_64, 0, -1L)).as("unsigned").isEqualTo(EPERM);
    }

    /** Every operator against Java's unsigned 64-bit semantics, on edge and random values. */
    @ParameterizedTest
    @EnumSource(Condition.Op.class)
    void operatorsMatchUnsigned64BitSemantics(Condition.Op op) {
        Random random = new Random(op.ordinal() * 31L + 7);
        long[] edges = {0, 1, 0xFFFF_FFFFL, 0x1_0000_0000L, 0x1_0000_0001L, 0x7FFF_FFFF_FFFF_FFFFL, -1L, -2L,
            0x8000_0000L, 0xFFFF_FFFF_0000_0000L};
        List<Long> operands = new ArrayList<>();
        for (long edge : edges) {
            operands.add(edge);
        }
        for (int i = 0; i < 6; i++) {
            operands.add(random.nextLong());
        }
        for (long operand : operands) {
            long mask = random.nextLong() | 0x0000_00FF_0000_00FFL;
            LinuxSeccompArg condition = op == Condition.Op.MASKED_EQ
                    ? new LinuxSeccompArg(2, mask, operand & mask, "SCMP_CMP_MASKED_EQ")
                    : new LinuxSeccompArg(2, operand, null, "SCMP_CMP_" + op.name());
            byte[] filter = compiler.compile(profile("SCMP_ACT_ERRNO", null,
                    rule("SCMP_ACT_ALLOW", List.of("ioctl"), condition))).filter();
            List<Long> probes = new ArrayList<>(operands);
            probes.addAll(List.of(operand - 1, operand + 1, operand ^ 0x1_0000_0000L, operand ^ 1, random.nextLong()));
            for (long probe : probes) {
                boolean expected = switch (op) {
                    case EQ -> probe == operand;
                    case NE -> probe != operand;
                    case LT -> Long.compareUnsigned(probe, operand) < 0;
                    case LE -> Long.compareUnsigned(probe, operand) <= 0;
                    case GT -> Long.compareUnsigned(probe, operand) > 0;
                    case GE -> Long.compareUnsigned(probe, operand) >= 0;
                    case MASKED_EQ -> (probe & mask) == (operand & mask);
                };
                assertThat(BpfInterpreter.run(filter, 16, X86_64, 0, 0, probe))
                        .as("%s %x vs %x", op, probe, operand)
                        .isEqualTo(expected ? RET_ALLOW : EPERM);
            }
        }
    }

    @Test
    void i386ComparesOnlyTheLowWord() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X86"),
                rule("SCMP_ACT_ALLOW", List.of("ioctl"), arg(1, "EQ", 0x5401)));
        assertThat(run(seccomp, 54, I386, 0, 0x5401)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 54, I386, 0, 0x1_0000_5401L)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 16, X86_64, 0, 0x1_0000_5401L)).isEqualTo(EPERM);
        assertThat(run(seccomp, 16, X86_64, 0, 0x5401)).isEqualTo(RET_ALLOW);
    }

    @Test
    void argsAreAndedAndRulesAreOred() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ERRNO", null,
                rule("SCMP_ACT_ALLOW", List.of("kill"), arg(0, "EQ", 1), arg(1, "EQ", 9)),
                rule("SCMP_ACT_ALLOW", List.of("kill"), arg(0, "EQ", 2)));
        assertThat(run(seccomp, 62, X86_64, 1, 9)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 62, X86_64, 1, 15)).isEqualTo(EPERM);
        assertThat(run(seccomp, 62, X86_64, 2, 15)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 62, X86_64, 3, 9)).isEqualTo(EPERM);
    }

    @Test
    void conditionsOnTheSameArgumentBecomeSeparateRulesAsInRunc() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ERRNO", null,
                rule("SCMP_ACT_ALLOW", List.of("personality"), arg(0, "EQ", 0), arg(0, "EQ", 8)));
        assertThat(run(seccomp, 135, X86_64, 0)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 135, X86_64, 8)).isEqualTo(RET_ALLOW);
        assertThat(run(seccomp, 135, X86_64, 1)).isEqualTo(EPERM);
    }

    @Test
    void unconditionalRuleWinsOverConditionalOnes() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ALLOW", null,
                rule("SCMP_ACT_LOG", List.of("kill"), arg(0, "EQ", 1)),
                rule("SCMP_ACT_ERRNO", List.of("kill")));
        assertThat(run(seccomp, 62, X86_64, 1)).isEqualTo(EPERM);
        assertThat(run(seccomp, 62, X86_64, 2)).isEqualTo(EPERM);
    }

    @Test
    void rulesWithTheDefaultActionAreDropped() {
        LinuxSeccomp plain = profile("SCMP_ACT_ERRNO", null, rule("SCMP_ACT_ALLOW", List.of("read")));
        LinuxSeccomp redundant = profile("SCMP_ACT_ERRNO", null, rule("SCMP_ACT_ALLOW", List.of("read")),
                rule("SCMP_ACT_ERRNO", List.of("write"), arg(0, "EQ", 1)));
        assertThat(compiler.compile(redundant).filter()).isEqualTo(compiler.compile(plain).filter());
        LinuxSeccomp otherErrno = profile("SCMP_ACT_ERRNO", null,
                new LinuxSyscall(List.of("write"), "SCMP_ACT_ERRNO", 38L, null));
        assertThat(run(otherErrno, 1, X86_64)).as("a different errno is not the default").isEqualTo(RET_ERRNO | 38);
    }

    @Test
    void unknownSyscallNamesAreSkipped() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ERRNO", null, rule("SCMP_ACT_ALLOW", List.of("frobnicate", "read")));
        assertThat(run(seccomp, 0, X86_64)).isEqualTo(RET_ALLOW);
    }

    @Test
    void flagsBecomeBits() {
        LinuxSeccomp seccomp = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"),
                null, null, null);
        SeccompProgram program = compiler.compile(seccomp);
        assertThat(program.flags()).isEqualTo(1 | 2 | 4);
        assertThat(program.instructionCount()).isEqualTo(program.filter().length / 8);
    }

    @Test
    void notifyIsRefused() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_NOTIFY", List.of("mount")));
        assertThatThrownBy(() -> compiler.compile(seccomp))
                .isInstanceOf(GantryException.class)
                .hasMessage("seccomp: SCMP_ACT_NOTIFY needs a listener, not supported")
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void unknownActionNamesTheField() {
        LinuxSeccomp seccomp = profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_ALLOW", List.of("read")),
                rule("SCMP_ACT_PANIC", List.of("mount")));
        assertThatThrownBy(() -> compiler.compile(seccomp))
                .hasMessage("seccomp: syscalls[1].action: unknown action \"SCMP_ACT_PANIC\"");
    }

    @Test
    void longSubtreesUseJaAndStayCorrect() {
        // 200 syscalls, each with its own argument rule: the tree's left halves exceed 255 instructions.
        List<LinuxSyscall> rules = new ArrayList<>();
        List<String> names = SyscallTables.X86_64.entrySet().stream()
                .filter(e -> e.getValue() < 300).map(java.util.Map.Entry::getKey).sorted().limit(200).toList();
        for (String name : names) {
            rules.add(rule("SCMP_ACT_ALLOW", List.of(name), arg(0, "EQ", SyscallTables.X86_64.get(name))));
        }
        LinuxSeccomp seccomp = new LinuxSeccomp("SCMP_ACT_ERRNO", null, null, null, null, null, rules);
        byte[] filter = compiler.compile(seccomp).filter();
        assertThat(filter.length / 8).isGreaterThan(1000);
        for (String name : names) {
            int nr = SyscallTables.X86_64.get(name);
            assertThat(BpfInterpreter.run(filter, nr, X86_64, nr)).as(name).isEqualTo(RET_ALLOW);
            assertThat(BpfInterpreter.run(filter, nr, X86_64, nr + 1)).as(name).isEqualTo(EPERM);
        }
    }

    @Test
    void tooLongProgramsAreRefused() {
        List<LinuxSyscall> rules = new ArrayList<>();
        // Distinct conditions per syscall, so that neighbours cannot share one interval of the tree.
        SyscallTables.X86_64.forEach((name, nr) -> rules.add(rule("SCMP_ACT_ALLOW", List.of(name),
                arg(0, "GT", nr), arg(1, "LT", 2), arg(2, "GE", 3), arg(3, "LE", 4))));
        LinuxSeccomp seccomp = new LinuxSeccomp("SCMP_ACT_ERRNO", null, null, null, null, null, rules);
        assertThatThrownBy(() -> compiler.compile(seccomp))
                .hasMessageStartingWith("seccomp: the filter needs ")
                .hasMessageEndingWith("BPF instructions, more than the kernel's limit of 4096");
    }
}
