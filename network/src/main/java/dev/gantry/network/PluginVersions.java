package dev.gantry.network;

import java.util.List;

/** A plugin's answer to VERSION: the version it answered in and every version it supports. */
public record PluginVersions(String cniVersion, List<String> supportedVersions) {
    public PluginVersions {
        supportedVersions = List.copyOf(supportedVersions);
    }

    public boolean supports(String version) {
        return supportedVersions.contains(version);
    }
}
