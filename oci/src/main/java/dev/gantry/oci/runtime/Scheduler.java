package dev.gantry.oci.runtime;

import java.util.List;

/** sched_setattr(2) settings; runtime/deadline/period are uint64 nanoseconds. */
public record Scheduler(
        String policy,
        Integer nice,
        Integer priority,
        List<String> flags,
        @Uint64 Long runtime,
        @Uint64 Long deadline,
        @Uint64 Long period) {
}
