package dev.gantry.cgroups;

/** The freezer's view of a cgroup: v1's {@code freezer.state} words; v2 has no FREEZING. */
public enum FreezerState {
    THAWED,
    /** v1 only: frozen requested, some tasks not yet stopped. */
    FREEZING,
    FROZEN
}
