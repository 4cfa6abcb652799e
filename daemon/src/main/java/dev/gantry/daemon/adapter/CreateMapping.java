package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.model.ContainerConfig;
import dev.gantry.api.docker.model.ContainerCreateRequest;
import dev.gantry.api.docker.model.Mount;
import dev.gantry.api.docker.model.Resources;
import dev.gantry.base.GantryException;
import dev.gantry.engine.Config;
import dev.gantry.engine.CreateRequest;
import dev.gantry.engine.HostConfig;
import dev.gantry.engine.LogConfig;
import dev.gantry.engine.MountSpec;
import dev.gantry.engine.RestartPolicy;
import java.util.List;
import java.util.Locale;

/** A Docker create body as the engine's {@link CreateRequest}. */
final class CreateMapping {
    private CreateMapping() {}

    static CreateRequest toEngine(String name, ContainerCreateRequest request) {
        ContainerConfig c = request.config();
        if (c == null || c.image() == null || c.image().isEmpty()) {
            throw GantryException.invalid("Image: no image specified");
        }
        Config config = new Config(c.image(), c.hostname(), c.domainname(), c.user(), c.env(), c.cmd(), c.entrypoint(),
                c.workingDir(), c.labels(), c.hasTty(), c.stopSignal(), c.stopTimeout(),
                c.volumes() == null ? null : c.volumes().keySet(), Boolean.TRUE.equals(c.openStdin()),
                Boolean.TRUE.equals(c.stdinOnce()), Boolean.TRUE.equals(c.attachStdin()));
        dev.gantry.api.docker.model.HostConfig h = request.hostConfig();
        HostConfig host = h == null ? HostConfig.defaults() : hostConfig(h);
        return new CreateRequest(name == null || name.isEmpty() ? null : name, config, host, HealthViews.toEngine(c.healthcheck()),
                NetworkMapping.options(request));
    }

    private static HostConfig hostConfig(dev.gantry.api.docker.model.HostConfig h) {
        Resources r = h.resources();
        HostConfig.Builder b = HostConfig.builder()
                .binds(h.binds())
                .mounts(h.mounts() == null ? null : h.mounts().stream().map(CreateMapping::mount).toList())
                .readonlyRootfs(Boolean.TRUE.equals(h.readonlyRootfs()))
                .tmpfs(h.tmpfs())
                .memory(orZero(r.memory()))
                .memorySwap(orZero(r.memorySwap()))
                .nanoCpus(orZero(r.nanoCpus()))
                .cpuShares(orZero(r.cpuShares()))
                .cpusetCpus(r.cpusetCpus())
                .pidsLimit(r.pidsLimit() == null || r.pidsLimit() <= 0 ? null : r.pidsLimit())
                .capAdd(h.capAdd())
                .capDrop(h.capDrop())
                .privileged(Boolean.TRUE.equals(h.privileged()))
                .securityOpt(h.securityOpt())
                .sysctls(h.sysctls())
                .oomScoreAdj(h.oomScoreAdj() == null ? 0 : h.oomScoreAdj())
                .shmSize(orZero(h.shmSize()))
                .networkMode(h.networkMode())
                .autoRemove(Boolean.TRUE.equals(h.autoRemove()))
                .init(Boolean.TRUE.equals(r.init()));
        if (r.ulimits() != null) {
            b.ulimits(r.ulimits().stream()
                    .map(u -> new HostConfig.Ulimit(u.name(), orZero(u.soft()), orZero(u.hard()))).toList());
        }
        if (r.devices() != null) {
            b.devices(r.devices().stream()
                    .map(d -> new HostConfig.DeviceMapping(d.pathOnHost(), d.pathInContainer(), d.cgroupPermissions())).toList());
        }
        if (h.restartPolicy() != null && h.restartPolicy().name() != null && !h.restartPolicy().name().isEmpty()) {
            RestartPolicy parsed = RestartPolicy.parse(h.restartPolicy().name());
            int retries = h.restartPolicy().maximumRetryCount() == null ? 0 : h.restartPolicy().maximumRetryCount();
            b.restartPolicy(retries > 0 ? new RestartPolicy(parsed.name(), retries) : parsed);
        }
        if (h.logConfig() != null) {
            b.logConfig(LogConfig.parse(h.logConfig().type(), h.logConfig().config()));
        }
        // The engine checks the name against its runtimes (an unknown one is a 400 there).
        b.runtime(h.runtime());
        return b.build();
    }

    private static MountSpec mount(Mount m) {
        if (m.type() == null) {
            throw GantryException.invalid("HostConfig.Mounts: Type is required");
        }
        if (m.target() == null || m.target().isEmpty()) {
            throw GantryException.invalid("HostConfig.Mounts: Target is required");
        }
        boolean ro = Boolean.TRUE.equals(m.readOnly());
        return switch (m.type().toLowerCase(Locale.ROOT)) {
            case "bind" -> new MountSpec(MountSpec.Type.BIND, m.source(), m.target(), ro,
                    m.bindOptions() == null ? null : m.bindOptions().propagation(), false, 0, 0);
            case "volume" -> new MountSpec(MountSpec.Type.VOLUME, m.source(), m.target(), ro, null,
                    m.volumeOptions() != null && Boolean.TRUE.equals(m.volumeOptions().noCopy()), 0, 0);
            case "tmpfs" -> new MountSpec(MountSpec.Type.TMPFS, null, m.target(), ro, null, false,
                    m.tmpfsOptions() == null ? 0 : orZero(m.tmpfsOptions().sizeBytes()),
                    m.tmpfsOptions() == null || m.tmpfsOptions().mode() == null ? 0 : m.tmpfsOptions().mode());
            default -> throw GantryException.invalid("HostConfig.Mounts: unsupported mount type \"" + m.type() + "\"");
        };
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    static List<String> orEmpty(List<String> v) {
        return v == null ? List.of() : v;
    }
}
