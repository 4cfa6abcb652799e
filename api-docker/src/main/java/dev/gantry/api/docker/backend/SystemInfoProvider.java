package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.model.SystemInfo;

/**
 * Where {@code /info} and the host part of {@code /version} come from. The host
 * implementation ({@code dev.gantry.api.docker.host.HostSystemInfo}) reads the machine; the
 * engine wraps it to add its counts ({@link SystemInfo#withCounts}).
 */
@FunctionalInterface
public interface SystemInfoProvider {
    SystemInfo info();
}
