package dev.gantry.daemon;

import dev.gantry.api.docker.ApiBackends;
import dev.gantry.api.docker.DockerApiServer;
import dev.gantry.api.docker.ServerOptions;
import dev.gantry.api.docker.host.HostSystemInfo;
import dev.gantry.api.docker.model.SystemInfo;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.daemon.adapter.ContainerAdapter;
import dev.gantry.daemon.adapter.ExecAdapter;
import dev.gantry.daemon.adapter.ImageAdapter;
import dev.gantry.daemon.adapter.NetworkAdapter;
import dev.gantry.daemon.adapter.ProcessTable;
import dev.gantry.daemon.adapter.RegistryLogins;
import dev.gantry.daemon.adapter.SystemAdapter;
import dev.gantry.daemon.adapter.VolumeAdapter;
import dev.gantry.engine.Container;
import dev.gantry.engine.Engine;
import dev.gantry.engine.internal.Reaper;
import dev.gantry.engine.Status;
import dev.gantry.engine.runtimes.OciRuntime;
import dev.gantry.engine.runtimes.Runtimes;
import dev.gantry.image.ImageService;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.image.registry.RegistryConfig;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The daemon and the one composition root: kernel → runtime (state under the exec root) →
 * image service and engine (under the root) → Docker API adapters → the API server. SIGTERM
 * closes the server and the engine; running containers keep running and the next gantryd
 * adopts them.
 */
public final class Gantryd implements AutoCloseable {
    static final String VERSION = "0.1.0";
    /** How long the daemon must be idle (no event, no request) before it gives its heap back. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(10);

    private final DaemonOptions options;
    private final Engine engine;
    private final DockerApiServer server;
    private final IdleCollector idle;

    private Gantryd(DaemonOptions options, Engine engine, DockerApiServer server) {
        this.options = options;
        this.engine = engine;
        this.server = server;
        this.idle = IdleCollector.start(IdleCollector.Activity.of(engine.events()::published, server.activity()),
                IdleCollector.runtime(), IDLE_CHECK);
    }

    /** Opens the engine on the options' roots and starts serving; writes the pid file. */
    public static Gantryd start(DaemonOptions options) throws IOException {
        // Closed to other users: images and containers hold setuid files and device nodes
        // meant for containers (CVE-2021-41091 was dockerd leaving its root traversable).
        Files.createDirectories(options.root());
        Files.setPosixFilePermissions(options.root(), PosixFilePermissions.fromString("rwx--x---"));
        Files.createDirectories(options.execRoot());
        Files.setPosixFilePermissions(options.execRoot(), PosixFilePermissions.fromString("rwx--x--x"));
        Files.createDirectories(options.socket().getParent());
        Syscalls sys = new LinuxSyscalls();
        // An external runtime's container init outlives the runtime process that created it:
        // as a subreaper gantryd becomes its parent and collects its exit status.
        sys.setChildSubreaper();
        Cgroups cgroups = Cgroups.host();
        if (options.favorDynmods()) {
            favorDynmods(cgroups);
        }
        if (options.rcuExpedited()) {
            rcuExpedited();
        }
        HelperBinary helper = HelperBinary.load(sys);
        HostFacts host = HostFacts.probe();
        ContainerRuntime runtime = new ContainerRuntime(sys, options.execRoot().resolve("runtime"), () -> helper, () -> host,
                () -> cgroups, Gantryd::warn, tree -> Reaper.delete(tree, Gantryd::warn));
        try {
            runtime.store().deleteLeftovers();
        } catch (RuntimeException e) {
            warn("removing leftover runtime state directories: " + e.getMessage());
        }
        RegistryConfig registries = RegistryConfig.DEFAULT.withInsecure(options.insecureRegistries());
        RegistryLogins logins = new RegistryLogins(store -> new RegistryClient(RegistryClient.defaultHttpClient(), registries, store));
        ImageService images = ImageService.open(options.root().resolve("images"),
                new RegistryClient(RegistryClient.defaultHttpClient(), registries, logins));
        Runtimes runtimes = options.runtimes().build(sys, runtime, options.execRoot().resolve("runtimes"), () -> cgroups);
        Engine engine = Engine.open(options.root().resolve("engine"), sys, runtime, runtimes, images, cgroups, Gantryd::warn,
                options.network());
        try {
            HostSystemInfo hostInfo = new HostSystemInfo(Path.of("/"), new HostSystemInfo.Settings(VERSION, options.root(),
                    runtimeInfo(runtimes), runtimes.defaultName()));
            ContainerAdapter containers = new ContainerAdapter(engine, new ProcessTable(engine::pids, Path.of("/proc")));
            ApiBackends backends = ApiBackends.of(() -> withCounts(hostInfo.info(), engine, images))
                    .withContainers(containers)
                    .withExec(new ExecAdapter(engine))
                    .withImages(new ImageAdapter(images, engine, logins))
                    .withVolumes(new VolumeAdapter(engine))
                    .withNetworks(new NetworkAdapter(engine))
                    .withSystem(new SystemAdapter(engine, images, containers, logins));
            DockerApiServer server = DockerApiServer.start(ServerOptions.defaults(VERSION).withSocket(options.socket()), backends);
            Files.writeString(options.pidFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            return new Gantryd(options, engine, server);
        } catch (RuntimeException | IOException e) {
            engine.close();
            throw e;
        }
    }

    /** {@code /info}'s Runtimes: each runtime's executable (the in-process one is named by itself, as dockerd names runc). */
    private static Map<String, SystemInfo.Runtime> runtimeInfo(Runtimes runtimes) {
        Map<String, SystemInfo.Runtime> out = new LinkedHashMap<>();
        for (OciRuntime r : runtimes.all()) {
            out.put(r.name(), new SystemInfo.Runtime(r.path().map(Path::toString).orElse(r.name()), List.of()));
        }
        return out;
    }

    private static SystemInfo withCounts(SystemInfo info, Engine engine, ImageService images) {
        List<Container> all = engine.list(true);
        int running = 0;
        int paused = 0;
        for (Container c : all) {
            if (c.state().status() == Status.RUNNING) {
                running++;
            } else if (c.state().status() == Status.PAUSED) {
                paused++;
            }
        }
        return info.withCounts(all.size(), running, paused, all.size() - running - paused, images.list().size());
    }

    /** Stops serving and stops managing containers; they keep running. Removes the pid file. */
    @Override
    public void close() {
        idle.close();
        try {
            server.close();
        } finally {
            engine.close();
            try {
                Files.deleteIfExists(options.pidFile());
            } catch (IOException e) {
                warn("cannot remove " + options.pidFile() + ": " + e.getMessage());
            }
        }
    }

    /** Host-wide and kept after gantryd exits, as dockerd's ip_forward is: other engines gain from it too. */
    private static void favorDynmods(Cgroups cgroups) {
        try {
            if (cgroups.favorDynamicModifications()) {
                warn("set favordynmods on the cgroup2 mount " + cgroups.unifiedMount().orElseThrow()
                        + ": moving a process between cgroups no longer waits for an RCU grace period (--cgroup-favordynmods=false leaves it)");
            }
        } catch (GantryException e) {
            warn("containers start slower: cannot set favordynmods on the cgroup2 mount: " + e.getMessage());
        }
    }

    /** Host-wide and kept after gantryd exits, as favordynmods: see {@link RcuExpedited}. */
    private static void rcuExpedited() {
        try {
            if (RcuExpedited.enable(RcuExpedited.KNOB)) {
                warn("set " + RcuExpedited.KNOB + " to 1: iptables runs and veth teardown no longer wait ~8 ms each for an RCU grace "
                        + "period (--rcu-expedited=false leaves it)");
            }
        } catch (GantryException e) {
            warn("containers on bridge networks start slower: " + e.getMessage());
        }
    }

    static void warn(String message) {
        System.err.println(Instant.now() + " gantryd: " + message);
    }

    public static void main(String[] args) {
        DaemonOptions options;
        Gantryd daemon;
        try {
            options = DaemonOptions.parse(Arrays.asList(args));
            daemon = start(options);
        } catch (GantryException | IOException | UncheckedIOException e) {
            System.err.println("gantryd: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        // The JVM runs shutdown hooks on SIGTERM and SIGINT: that is the clean-shutdown path.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            closed.countDown();
        }, "gantryd-shutdown"));
        if (options.debug()) {
            warn("listening on unix://" + options.socket() + ", root " + options.root() + ", exec root " + options.execRoot());
        }
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
