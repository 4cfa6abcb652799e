package dev.gantry.seccomp;

import java.util.Map;

/**
 * The syscall ABIs an x86_64 kernel runs, as libseccomp models them: an audit arch token
 * ({@code seccomp_data.arch}), a syscall table, and the width libseccomp compares arguments at
 * (x32 and i386 are 32-bit ABIs: only the low word of an argument is compared).
 */
enum Abi {
    X86_64("SCMP_ARCH_X86_64", Abi.AUDIT_ARCH_X86_64, SyscallTables.X86_64, true),
    X32("SCMP_ARCH_X32", Abi.AUDIT_ARCH_X86_64, SyscallTables.X32, false),
    I386("SCMP_ARCH_X86", Abi.AUDIT_ARCH_I386, SyscallTables.I386, false);

    /** AUDIT_ARCH_X86_64 = EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE (linux/audit.h). */
    static final int AUDIT_ARCH_X86_64 = 0xC000_003E;
    /** AUDIT_ARCH_I386 = EM_386 | __AUDIT_ARCH_LE. */
    static final int AUDIT_ARCH_I386 = 0x4000_0003;
    /** __X32_SYSCALL_BIT: x32 syscalls arrive under AUDIT_ARCH_X86_64 with this bit set in nr. */
    static final int X32_SYSCALL_BIT = 0x4000_0000;

    final String scmpName;
    final int auditArch;
    final Map<String, Integer> syscalls;
    final boolean wideArgs;

    Abi(String scmpName, int auditArch, Map<String, Integer> syscalls, boolean wideArgs) {
        this.scmpName = scmpName;
        this.auditArch = auditArch;
        this.syscalls = syscalls;
        this.wideArgs = wideArgs;
    }

    static Abi byScmpName(String name) {
        for (Abi abi : values()) {
            if (abi.scmpName.equals(name)) {
                return abi;
            }
        }
        return null;
    }
}
