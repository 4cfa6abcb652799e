package dev.gantry.runtime;

import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.runtime.plan.SeccompFilter;
import dev.gantry.seccomp.SeccompCompiler;
import dev.gantry.seccomp.SeccompProgram;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compiled filters of the last few seccomp profiles. An engine gives nearly every container
 * the same profile (Docker's default: ~350 syscall names, 1–1.5 ms to compile here), so a long-lived
 * runtime compiles it once. Profiles are records, so equal profiles are equal keys; the filter
 * is a pure function of the profile on a given host.
 */
final class SeccompFilters {
    private static final int KEPT = 8;

    private final Map<LinuxSeccomp, SeccompFilter> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LinuxSeccomp, SeccompFilter> eldest) {
            return size() > KEPT;
        }
    };

    /** The profile's filter; an invalid profile is INVALID_ARGUMENT, as from {@link SeccompCompiler#compile}, and is not kept. */
    SeccompFilter filterFor(LinuxSeccomp profile) {
        synchronized (recent) {
            SeccompFilter kept = recent.get(profile);
            if (kept != null) {
                return kept;
            }
        }
        SeccompProgram p = new SeccompCompiler().compile(profile);
        SeccompFilter filter = new SeccompFilter(p.filter(), p.flags());
        synchronized (recent) {
            recent.put(profile, filter);
        }
        return filter;
    }
}
