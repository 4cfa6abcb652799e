package dev.gantry.oci.runtime;

/** A host network device to move into the container; {@code name} is its name inside (null = same). */
public record LinuxNetDevice(String name) {
}
