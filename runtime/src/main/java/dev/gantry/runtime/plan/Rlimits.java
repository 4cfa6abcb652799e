package dev.gantry.runtime.plan;

import dev.gantry.base.GantryException;

import java.util.List;

/** RLIMIT_* names to resource numbers (getrlimit(2), x86_64). */
public final class Rlimits {
    private static final List<String> NAMES = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private Rlimits() {}

    public static int resource(String name, String field) {
        int i = NAMES.indexOf(name);
        if (i < 0) {
            throw GantryException.invalid(field + ": unknown rlimit type \"" + name + "\"");
        }
        return i;
    }

    public static String name(int resource) {
        return NAMES.get(resource);
    }
}
