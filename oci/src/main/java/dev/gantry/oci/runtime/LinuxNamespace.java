package dev.gantry.oci.runtime;

/**
 * A namespace the container gets: a new one when {@code path} is null, else the existing one
 * at {@code path}. Types: mount, pid, network, uts, ipc, user, cgroup, time.
 */
public record LinuxNamespace(String type, String path) {
}
