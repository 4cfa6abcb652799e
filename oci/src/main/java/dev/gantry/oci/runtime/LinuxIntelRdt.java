package dev.gantry.oci.runtime;

import java.util.List;

/** Intel RDT (resctrl) settings. */
public record LinuxIntelRdt(
        String closID,
        List<String> schemata,
        String l3CacheSchema,
        String memBwSchema,
        Boolean enableMonitoring) {
}
