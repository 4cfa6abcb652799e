package dev.gantry.oci.runtime;

import java.util.List;

/**
 * A seccomp rule for each syscall in {@code names}; its {@code args} conditions are ANDed.
 * {@code errnoRet} is the errno for SCMP_ACT_ERRNO (EPERM when null) or the
 * SCMP_ACT_TRACE message value.
 */
public record LinuxSyscall(List<String> names, String action, Long errnoRet, List<LinuxSeccompArg> args) {

    public List<String> namesOrEmpty() {
        return names == null ? List.of() : names;
    }

    public List<LinuxSeccompArg> argsOrEmpty() {
        return args == null ? List.of() : args;
    }
}
