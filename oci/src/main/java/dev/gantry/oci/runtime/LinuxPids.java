package dev.gantry.oci.runtime;

/** pids cgroup: maximum number of tasks; 0 or -1 means no limit (runc's reading). */
public record LinuxPids(Long limit) {
}
