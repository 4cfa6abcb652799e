package dev.gantry.oci.runtime;

/** Offset of one clock (key "boottime" or "monotonic") in a new time namespace. */
public record LinuxTimeOffset(Long secs, Long nanosecs) {
}
