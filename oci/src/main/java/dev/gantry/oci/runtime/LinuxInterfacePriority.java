package dev.gantry.oci.runtime;

/** net_prio priority (uint32) of one interface. */
public record LinuxInterfacePriority(String name, long priority) {
}
