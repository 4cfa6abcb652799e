package dev.gantry.api.docker.model;

import java.util.List;
import java.util.Map;

/**
 * The answer to {@code GET /containers/{id}/json} (swagger {@code ContainerInspectResponse},
 * Docker's former {@code ContainerJSON}). {@code Name} starts with a slash, as in Docker.
 */
public record ContainerInspect(
        String id,
        String created,
        String path,
        List<String> args,
        ContainerState state,
        String image,
        String resolvConfPath,
        String hostnamePath,
        String hostsPath,
        String logPath,
        String name,
        Integer restartCount,
        String driver,
        String platform,
        String mountLabel,
        String processLabel,
        String appArmorProfile,
        List<String> execIDs,
        HostConfig hostConfig,
        DriverData graphDriver,
        Long sizeRw,
        Long sizeRootFs,
        List<MountPoint> mounts,
        ContainerConfig config,
        NetworkSettings networkSettings) {

    /** A storage driver's name and its key/value data (overlay: LowerDir, UpperDir, ...). */
    public record DriverData(String name, Map<String, String> data) {}
}
