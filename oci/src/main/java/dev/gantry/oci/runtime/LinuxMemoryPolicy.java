package dev.gantry.oci.runtime;

import java.util.List;

/** set_mempolicy(2) settings: {@code mode} MPOL_*, {@code nodes} like "0-3,7", MPOL_F_* flags. */
public record LinuxMemoryPolicy(String mode, String nodes, List<String> flags) {
}
