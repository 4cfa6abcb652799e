package dev.gantry.cgroups;

/** How a host mounts cgroups. */
public enum CgroupMode {
    /** Only v1 hierarchies, one per controller or group of co-mounted controllers. */
    V1,
    /** Only the cgroup2 (unified) hierarchy. */
    V2,
    /** v1 hierarchies for the controllers plus a cgroup2 hierarchy beside them. */
    HYBRID
}
