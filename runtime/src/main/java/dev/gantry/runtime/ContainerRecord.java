package dev.gantry.runtime;

import dev.gantry.oci.runtime.Spec;

/**
 * What the runtime remembers about a container between invocations, stored as state.json in
 * the container's state directory. The status is not stored: it is derived from the init
 * process and the exec fifo each time ({@link StateStore#status}).
 *
 * @param pidStartTime the init's start time in clock ticks since boot (/proc/PID/stat field
 *                     22), which tells a live init from an unrelated process that reused its pid
 * @param creating     true while create has not finished
 * @param cgroupsPath  the container's cgroup, relative to each hierarchy's root
 */
public record ContainerRecord(String id, String bundle, String rootfs, int pid, long pidStartTime,
        String created, String owner, boolean creating, String cgroupsPath, Spec spec) {

    public ContainerRecord withInit(int newPid, long startTime, boolean stillCreating) {
        return new ContainerRecord(id, bundle, rootfs, newPid, startTime, created, owner, stillCreating, cgroupsPath, spec);
    }
}
