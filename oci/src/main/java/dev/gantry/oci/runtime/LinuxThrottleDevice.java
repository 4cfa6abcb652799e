package dev.gantry.oci.runtime;

/** Per-device blkio throttle: {@code rate} bytes (or IOs) per second, uint64. */
public record LinuxThrottleDevice(long major, long minor, @Uint64 Long rate) {
}
