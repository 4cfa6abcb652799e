package dev.gantry.oci.runtime;

/**
 * A device node to create in the container. {@code type} is c, b, u or p; major/minor are
 * required except for p; {@code fileMode} is the permission bits (decimal in JSON).
 */
public record LinuxDevice(String path, String type, Long major, Long minor, Integer fileMode, Long uid, Long gid) {
}
