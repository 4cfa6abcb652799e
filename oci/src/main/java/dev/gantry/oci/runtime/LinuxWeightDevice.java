package dev.gantry.oci.runtime;

/** Per-device blkio weight. */
public record LinuxWeightDevice(long major, long minor, Integer weight, Integer leafWeight) {
}
