package dev.gantry.oci.runtime;

/** CPU cgroup settings; {@code quota} may be -1 (no limit). uint64 fields hold bit patterns. */
public record LinuxCpu(
        @Uint64 Long shares,
        Long quota,
        @Uint64 Long burst,
        @Uint64 Long period,
        Long realtimeRuntime,
        @Uint64 Long realtimePeriod,
        String cpus,
        String mems,
        Long idle) {
}
