package dev.gantry.oci.runtime;

/** Memory cgroup settings in bytes; limit/swap/reservation may be -1 (unlimited). */
public record LinuxMemory(
        Long limit,
        Long reservation,
        Long swap,
        Long kernel,
        Long kernelTCP,
        @Uint64 Long swappiness,
        Boolean disableOOMKiller,
        Boolean useHierarchy,
        Boolean checkBeforeUpdate) {
}
