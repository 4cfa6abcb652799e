package dev.gantry.oci.runtime;

/** One line of uid_map/gid_map: {@code size} ids from {@code containerID} map to {@code hostID} on. uint32 values. */
public record LinuxIdMapping(long containerID, long hostID, long size) {
}
