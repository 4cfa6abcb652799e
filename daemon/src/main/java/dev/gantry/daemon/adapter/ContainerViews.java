package dev.gantry.daemon.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.api.docker.json.Json;
import dev.gantry.api.docker.model.ContainerConfig;
import dev.gantry.api.docker.model.ContainerInspect;
import dev.gantry.api.docker.model.ContainerState;
import dev.gantry.api.docker.model.ContainerSummary;
import dev.gantry.api.docker.model.HostConfig;
import dev.gantry.api.docker.model.MountPoint;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.Config;
import dev.gantry.engine.Container;
import dev.gantry.engine.net.NetworkService;
import dev.gantry.engine.MountSpec;
import dev.gantry.engine.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import dev.gantry.engine.Health;
import dev.gantry.engine.Healthcheck;

/** The engine's {@link Container} in the shapes of Docker's inspect and list answers. */
final class ContainerViews {
    private ContainerViews() {}

    static ContainerInspect inspect(Container c, Optional<Health> health, Optional<Healthcheck> check, NetworkService net) {
        Path dir = Path.of(c.logPath()).getParent();
        return new ContainerInspect(c.id(), c.created(), c.path(), c.args(), HealthViews.withHealth(state(c), health), c.imageId(),
                dir.resolve("resolv.conf").toString(), dir.resolve("hostname").toString(), dir.resolve("hosts").toString(),
                c.logPath(), "/" + c.name(), c.restartCount(), "overlay2", "linux", "", "", "", null,
                hostConfig(c, net), null, null, null, mounts(c), HealthViews.withHealthcheck(config(c.config(), net.options(c.id()).exposedPorts()), check),
                NetworkViews.settings(net, c));
    }

    /** {@code sizeRw}: the writable layer's bytes, null when the client did not ask for sizes. */
    static ContainerSummary summary(Container c, Optional<Health> health, NetworkService net, Long sizeRw) {
        String command = String.join(" ", commandLine(c));
        String mode = net.mode(c.id());
        return new ContainerSummary(c.id(), List.of("/" + c.name()), c.imageRef(), c.imageId(), command, Wire.epochSeconds(c.created()),
                NetworkViews.summaryPorts(net, c.id()), sizeRw, null, c.config().labels(), c.state().status().wire(),
                status(c) + (c.state().status() == Status.RUNNING ? HealthViews.statusSuffix(health) : ""),
                new ContainerSummary.HostConfigSummary(mode, null),
                new ContainerSummary.NetworkSummary(NetworkViews.summaryNetworks(net, c)), mounts(c));
    }

    static List<String> commandLine(Container c) {
        List<String> all = new ArrayList<>();
        if (c.path() != null) {
            all.add(c.path());
        }
        all.addAll(c.args() == null ? List.of() : c.args());
        return all;
    }

    private static ContainerState state(Container c) {
        var s = c.state();
        Status st = s.status();
        return new ContainerState(st.wire(), st == Status.RUNNING || st == Status.PAUSED, st == Status.PAUSED,
                st == Status.RESTARTING, s.oomKilled(), st == Status.DEAD, s.pid(), s.exitCode(), s.error() == null ? "" : s.error(),
                Wire.time(s.startedAt()), Wire.time(s.finishedAt()), null);
    }

    /** Docker's human status column: "Created", "Up 3 seconds", "Exited (0) 2 minutes ago". */
    private static String status(Container c) {
        var s = c.state();
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + human(since(s.startedAt()));
            case PAUSED -> "Up " + human(since(s.startedAt())) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + human(since(s.finishedAt())) + " ago";
            case EXITED -> "Exited (" + s.exitCode() + ") " + human(since(s.finishedAt())) + " ago";
            case DEAD -> "Dead";
        };
    }

    private static Duration since(String time) {
        return time == null || time.isEmpty() ? Duration.ZERO : Duration.between(Instant.parse(time), Instant.now());
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 1) {
            return "Less than a second";
        }
        if (s == 1) {
            return "1 second";
        }
        if (s < 60) {
            return s + " seconds";
        }
        if (s < 3600) {
            return s / 60 == 1 ? "About a minute" : s / 60 + " minutes";
        }
        if (s < 48 * 3600) {
            return s / 3600 == 1 ? "About an hour" : s / 3600 + " hours";
        }
        return s / 86400 + " days";
    }

    /** @param exposed the container's exposed ports, the image's with the request's ({@code 80} or {@code 80/tcp}) */
    static ContainerConfig config(Config c, Set<String> exposed) {
        Map<String, Object> ports = null;
        if (!exposed.isEmpty()) {
            // Docker's inspect shows the merged set, each key with its protocol and an empty object.
            ports = new TreeMap<>();
            for (String k : exposed) {
                ports.put(k.contains("/") ? k : k + "/tcp", Map.of());
            }
        }
        Map<String, Object> volumes = null;
        if (!c.volumes().isEmpty()) {
            volumes = new LinkedHashMap<>();
            for (String v : c.volumes()) {
                volumes.put(v, Map.of());
            }
        }
        return new ContainerConfig(c.hostname() == null ? "" : c.hostname(), c.domainname() == null ? "" : c.domainname(),
                c.user() == null ? "" : c.user(), c.attachStdin(), !c.tty(), !c.tty(), ports, c.tty(), c.openStdin(), c.stdinOnce(),
                c.env(), c.cmd(),
                null, null, c.image(), volumes, c.workingDir() == null ? "" : c.workingDir(), c.entrypoint(), null, null, null,
                c.labels(), c.stopSignal(), c.stopTimeout(), null);
    }

    /** The engine's host configuration in Docker's shape, built as JSON because the model has seventy fields. */
    private static HostConfig hostConfig(Container c, NetworkService net) {
        var h = c.hostConfig();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Binds", h.binds());
        NetworkViews.hostConfig(net, c.id(), m);
        m.put("RestartPolicy", Map.of("Name", h.restartPolicy().name().wire(),
                "MaximumRetryCount", h.restartPolicy().maximumRetryCount()));
        m.put("AutoRemove", h.autoRemove());
        m.put("Init", h.init());
        Map<String, String> logOpts = new TreeMap<>(h.logConfig().options());
        if (logOpts.isEmpty() && h.logConfig().maxSize() > 0) {
            logOpts.put("max-size", Long.toString(h.logConfig().maxSize()));
            logOpts.put("max-file", Integer.toString(h.logConfig().maxFile()));
        }
        m.put("LogConfig", Map.of("Type", "json-file", "Config", logOpts));
        m.put("ReadonlyRootfs", h.readonlyRootfs());
        m.put("Tmpfs", h.tmpfs());
        m.put("Memory", h.memory());
        m.put("MemorySwap", h.memorySwap());
        m.put("NanoCpus", h.nanoCpus());
        m.put("CpuShares", h.cpuShares());
        m.put("CpusetCpus", h.cpusetCpus() == null ? "" : h.cpusetCpus());
        m.put("PidsLimit", h.pidsLimit());
        m.put("Ulimits", h.ulimits().stream().map(u -> Map.of("Name", u.name(), "Soft", u.soft(), "Hard", u.hard())).toList());
        m.put("CapAdd", h.capAdd());
        m.put("CapDrop", h.capDrop());
        m.put("Privileged", h.privileged());
        m.put("SecurityOpt", h.securityOpt());
        m.put("Sysctls", h.sysctls());
        m.put("OomScoreAdj", h.oomScoreAdj());
        m.put("ShmSize", h.shmSize());
        m.put("Runtime", h.runtime() == null ? "" : h.runtime());
        m.put("Mounts", h.mounts().stream().map(ContainerViews::mountJson).toList());
        m.put("Devices", h.devices().stream().map(d -> Map.of("PathOnHost", d.pathOnHost(),
                "PathInContainer", d.pathInContainer() == null ? d.pathOnHost() : d.pathInContainer(),
                "CgroupPermissions", d.cgroupPermissions() == null ? "rwm" : d.cgroupPermissions())).toList());
        try {
            ObjectNode node = Json.MAPPER.valueToTree(m);
            return Json.MAPPER.treeToValue(node, HostConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new GantryException(ErrorKind.INTERNAL, "HostConfig of container " + c.id() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> mountJson(MountSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", s.type().name().toLowerCase(Locale.ROOT));
        if (s.source() != null) {
            m.put("Source", s.source());
        }
        m.put("Target", s.target());
        m.put("ReadOnly", s.readOnly());
        return m;
    }

    private static List<MountPoint> mounts(Container c) {
        return c.mounts().stream().map(m -> new MountPoint(m.type().name().toLowerCase(Locale.ROOT), m.name(), m.source(),
                m.destination(), m.type() == MountSpec.Type.VOLUME ? "local" : "", m.readWrite() ? "" : "ro", m.readWrite(),
                m.type() == MountSpec.Type.BIND ? "rprivate" : "")).toList();
    }
}
