package dev.gantry.api.docker.model;

import java.util.Map;

/** A volume (swagger {@code Volume}); {@code Scope} is "local"; {@code UsageData} only from {@code /system/df}. */
public record Volume(
        String name,
        String driver,
        String mountpoint,
        String createdAt,
        Map<String, Object> status,
        Map<String, String> labels,
        String scope,
        Map<String, String> options,
        UsageData usageData) {

    /** Size in bytes and number of containers using the volume; -1 when not computed. */
    public record UsageData(long size, long refCount) {}
}
