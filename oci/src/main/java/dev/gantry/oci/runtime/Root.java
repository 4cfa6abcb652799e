package dev.gantry.oci.runtime;

/** The root filesystem: {@code path} is absolute or relative to the bundle directory. */
public record Root(String path, boolean readonly) {
}
