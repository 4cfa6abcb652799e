package dev.gantry.oci.runtime;

import java.util.List;

/**
 * The seccomp filter (config-linux.md "Seccomp"). Actions are the libseccomp names
 * ("SCMP_ACT_ERRNO"); {@code defaultErrnoRet} applies when {@code defaultAction} is ERRNO
 * (EPERM when null). {@code flags} are SECCOMP_FILTER_FLAG_* names.
 */
public record LinuxSeccomp(
        String defaultAction,
        Long defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<LinuxSyscall> syscalls) {

    public List<String> architecturesOrEmpty() {
        return architectures == null ? List.of() : architectures;
    }

    public List<String> flagsOrEmpty() {
        return flags == null ? List.of() : flags;
    }

    public List<LinuxSyscall> syscallsOrEmpty() {
        return syscalls == null ? List.of() : syscalls;
    }
}
