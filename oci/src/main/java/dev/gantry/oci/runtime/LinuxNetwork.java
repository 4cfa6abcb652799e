package dev.gantry.oci.runtime;

import java.util.List;

/** net_cls class id (uint32) and net_prio priorities. */
public record LinuxNetwork(Long classID, List<LinuxInterfacePriority> priorities) {
}
