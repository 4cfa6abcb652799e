package dev.gantry.engine;

import java.util.List;

/**
 * Everything the engine knows about one container (what {@code docker inspect} shows).
 *
 * @param id           64 hex digits
 * @param name         the unique name, without Docker's leading slash
 * @param created      RFC 3339 creation time
 * @param imageRef     the image reference it was created from, as given
 * @param imageId      the image's id ({@code sha256:…})
 * @param path         the executable of its process (first element of entrypoint + cmd)
 * @param args         the rest of its command line
 * @param config       the configuration as requested (not merged with the image's)
 * @param hostConfig   the host configuration as requested
 * @param state        its runtime state
 * @param restartCount how many times its restart policy started it again since the last explicit start
 * @param logPath      its json-file log
 * @param mounts       its bind, volume and tmpfs mounts
 */
public record Container(String id, String name, String created, String imageRef, String imageId, String path,
        List<String> args, Config config, HostConfig hostConfig, ContainerState state, int restartCount, String logPath,
        List<MountPoint> mounts) {

    /**
     * A mount of a container, as inspect's {@code Mounts} lists it.
     *
     * @param type        bind, volume or tmpfs
     * @param name        the volume's name (volume), else null
     * @param source      the host path (bind: as given; volume: its data directory)
     * @param destination the path in the container
     * @param readWrite   false when read-only
     */
    public record MountPoint(MountSpec.Type type, String name, String source, String destination, boolean readWrite) {
    }
}
