package dev.gantry.runtime.plan;

import dev.gantry.base.GantryException;

import java.util.List;
import java.util.Map;

/** Namespace types of the spec, their clone(2) flags, and the order they are joined in. */
public final class Namespaces {
    public static final long CLONE_NEWTIME = 0x80, CLONE_NEWNS = 0x20000, CLONE_NEWCGROUP = 0x02000000,
            CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
            CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000L;

    /**
     * The order in which existing namespaces are joined: the user namespace first, so that
     * the helper holds capabilities over the namespaces it owns when it joins them; mount
     * last, as it changes how later paths resolve: after it, /proc/PID/ns/... of a host pid
     * names nothing in the container's /proc.
     */
    public static final List<String> JOIN_ORDER = List.of("user", "ipc", "uts", "network", "pid", "time", "cgroup", "mount");

    private static final Map<String, Long> FLAGS = Map.of(
            "mount", CLONE_NEWNS, "uts", CLONE_NEWUTS, "ipc", CLONE_NEWIPC, "user", CLONE_NEWUSER,
            "pid", CLONE_NEWPID, "network", CLONE_NEWNET, "cgroup", CLONE_NEWCGROUP, "time", CLONE_NEWTIME);

    /** /proc/PID/ns/ file names per type. */
    private static final Map<String, String> PROC_NAMES = Map.of(
            "mount", "mnt", "uts", "uts", "ipc", "ipc", "user", "user", "pid", "pid", "network", "net",
            "cgroup", "cgroup", "time", "time");

    private Namespaces() {}

    public static long flag(String type) {
        Long f = FLAGS.get(type);
        if (f == null) {
            throw GantryException.invalid("linux.namespaces: unknown namespace type \"" + type + "\"");
        }
        return f;
    }

    public static String procName(String type) {
        flag(type);
        return PROC_NAMES.get(type);
    }
}
