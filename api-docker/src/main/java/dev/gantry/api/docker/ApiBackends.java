package dev.gantry.api.docker;

import dev.gantry.api.docker.backend.ContainerApi;
import dev.gantry.api.docker.backend.ExecApi;
import dev.gantry.api.docker.backend.ImageApi;
import dev.gantry.api.docker.backend.SystemApi;
import dev.gantry.api.docker.backend.SystemInfoProvider;
import dev.gantry.api.docker.backend.NetworkApi;
import dev.gantry.api.docker.backend.VolumeApi;
import java.util.Objects;
import java.util.Optional;

/**
 * The implementations the API server is built over. Only {@code info} is required (it
 * serves {@code /_ping}, {@code /version}, {@code /info}); the routes of every other group
 * exist only when its implementation is given, so a server without an engine answers
 * {@code 404 page not found} for them rather than pretending.
 */
public record ApiBackends(
        SystemInfoProvider info,
        Optional<SystemApi> system,
        Optional<ContainerApi> containers,
        Optional<ExecApi> exec,
        Optional<ImageApi> images,
        Optional<VolumeApi> volumes,
        Optional<NetworkApi> networks) {

    public ApiBackends {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(containers, "containers");
        Objects.requireNonNull(exec, "exec");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(networks, "networks");
    }

    /** Backends with only the system information; add the others with the {@code with} methods. */
    public static ApiBackends of(SystemInfoProvider info) {
        return new ApiBackends(info, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public ApiBackends withSystem(SystemApi api) {
        return new ApiBackends(info, Optional.of(api), containers, exec, images, volumes, networks);
    }

    public ApiBackends withContainers(ContainerApi api) {
        return new ApiBackends(info, system, Optional.of(api), exec, images, volumes, networks);
    }

    public ApiBackends withExec(ExecApi api) {
        return new ApiBackends(info, system, containers, Optional.of(api), images, volumes, networks);
    }

    public ApiBackends withImages(ImageApi api) {
        return new ApiBackends(info, system, containers, exec, Optional.of(api), volumes, networks);
    }

    public ApiBackends withVolumes(VolumeApi api) {
        return new ApiBackends(info, system, containers, exec, images, Optional.of(api), networks);
    }

    public ApiBackends withNetworks(NetworkApi api) {
        return new ApiBackends(info, system, containers, exec, images, volumes, Optional.of(api));
    }
}
