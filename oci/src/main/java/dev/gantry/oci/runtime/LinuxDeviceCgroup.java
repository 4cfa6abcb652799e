package dev.gantry.oci.runtime;

/**
 * One device-cgroup rule, applied in list order. {@code type} a/c/b (null = all),
 * major/minor null = wildcard, {@code access} a subset of "rwm".
 */
public record LinuxDeviceCgroup(boolean allow, String type, Long major, Long minor, String access) {
}
