package dev.gantry.engine;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupManager;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.cgroups.CgroupsPath;
import dev.gantry.engine.internal.Attacher;
import dev.gantry.engine.internal.ConfigMerge;
import dev.gantry.engine.internal.ContainerInput;
import dev.gantry.engine.internal.ContainerArchive;
import dev.gantry.engine.internal.ContainerFs;
import dev.gantry.engine.internal.ContainerRecord;
import dev.gantry.engine.internal.ContainerStore;
import dev.gantry.engine.internal.PrivateDirs;
import dev.gantry.engine.internal.Reaper;
import dev.gantry.engine.internal.DetachKeys;
import dev.gantry.engine.internal.Devices;
import dev.gantry.engine.internal.ExecRunner;
import dev.gantry.engine.internal.Fifos;
import dev.gantry.base.FileTrees;
import dev.gantry.engine.net.Attaching;
import dev.gantry.engine.net.ContainerLookup;
import dev.gantry.engine.net.NetnsJoin;
import dev.gantry.engine.net.NetworkDefaults;
import dev.gantry.engine.net.NetworkService;
import dev.gantry.engine.internal.HostCpu;
import dev.gantry.engine.internal.HostInfo;
import dev.gantry.engine.internal.Ids;
import dev.gantry.engine.internal.JsonFileLog;
import dev.gantry.engine.internal.LiveContainer;
import dev.gantry.engine.internal.MountedPath;
import dev.gantry.engine.internal.LogReader;
import dev.gantry.engine.internal.MountPlanner;
import dev.gantry.engine.internal.NameGenerator;
import dev.gantry.engine.internal.OutputPump;
import dev.gantry.engine.internal.SpecBuilder;
import dev.gantry.engine.internal.UserResolver;
import dev.gantry.engine.internal.VolumeStore;
import dev.gantry.oci.image.ChainId;
import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.image.ImageService;
import dev.gantry.image.LocalImage;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.runtime.LinuxDevice;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.oci.runtime.OciSpecs;
import dev.gantry.oci.runtime.Signals;
import dev.gantry.oci.runtime.Spec;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.Console;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.engine.runtimes.InProcessRuntime;
import dev.gantry.engine.runtimes.OciRuntime;
import dev.gantry.engine.runtimes.Runtimes;
import dev.gantry.engine.internal.health.ExecProber;
import dev.gantry.engine.internal.health.HealthMonitor;
import dev.gantry.engine.internal.health.HealthcheckFile;
import dev.gantry.seccomp.DockerSeccompProfile;
import dev.gantry.snapshot.Mounter;
import dev.gantry.sys.Errno;
import dev.gantry.sys.PidfdExit;
import dev.gantry.sys.SysException;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The container engine: containers made from images of an {@link ImageService} and run by
 * an {@link OciRuntime} (the in-process {@link ContainerRuntime} unless the container names
 * another, e.g. runc), with their logs, exec'd processes and volumes.
 *
 * <p>Vocabulary. A container <em>id</em> is 64 hex digits. A container <em>reference</em>
 * ({@code ref}) is what a user typed: a full id, a name (with or without Docker's leading
 * slash) or a unique id prefix; an unknown reference is NOT_FOUND ("No such container: x"),
 * an ambiguous prefix INVALID_ARGUMENT. An <em>image reference</em> is anything
 * {@link ImageService#resolve} accepts. Every failure is a {@link GantryException}:
 * NOT_FOUND, CONFLICT for the wrong state or a name in use, INVALID_ARGUMENT for bad values,
 * UNAVAILABLE when the host refuses.
 *
 * <p>Layout under the engine's root: {@code containers/<id>/} (record, bundle, init layer,
 * /etc files, rootfs mount point, output FIFOs, {@code <id>-json.log}) and {@code volumes/}.
 * State survives {@code kill -9} of the engine at any moment: when an engine opens a root, a
 * container recorded as running whose init still lives is managed again, any other is
 * recorded as exited and its mount and cgroup are cleaned up; restart policies then apply.
 * Closing an engine leaves running containers running.
 *
 * <p>Input: a container created with {@code openStdin} reads a FIFO whose only writer is the
 * engine; {@link #attach} feeds it. A container with a TTY has its terminal's master held by
 * the engine alone (output, input and {@link #resize} go through it). Across a daemon restart
 * neither survives: when the engine's process ends, the FIFO's writer closes (the container
 * reads end of file) and the master closes, which hangs up the terminal (the kernel sends
 * SIGHUP to its session: an interactive shell exits). An adopted container therefore has no
 * input, and an adopted TTY container no output.
 *
 * <p>Resources: {@link #stats} samples a container's cgroup (a stopped container's sample has
 * no counters), {@link #update} changes its limits live and for the next start. {@code --init}
 * ({@link HostConfig#init()}) runs the runtime's init file as PID 1 from {@code /dev/init}.
 *
 * <p>Events: every container and volume action is published on {@link #events()}, in order,
 * after the state it reports is stored ("start" before the monitor can see the exit, so
 * "die" always follows it). Events live in memory only: a restarted engine starts a new stream.
 *
 * <p>Threads: one platform thread per running container waits for its init and records the
 * exit; one per output stream copies it to the log. Methods may be called from any thread,
 * virtual ones included: blocking runtime calls are moved to platform threads.
 */
public final class Engine implements AutoCloseable {
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    private static final int DEFAULT_STOP_SECONDS = 10;
    private static final long DRAIN_MILLIS = 2_000;
    private static final long KILL_WAIT_SECONDS = 30;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final long BACKOFF_RESET_NANOS = 10_000_000_000L;

    private final Syscalls sys;
    /** The in-process runtime: its init file serves {@code --init} whatever runtime runs the container. */
    private final ContainerRuntime runtime;
    private final Runtimes runtimes;
    private final ImageService images;
    private final Cgroups cgroups;
    private final Consumer<String> warn;
    private final ContainerStore store;
    private final VolumeStore volumes;
    private final ContainerFs fs;
    private final ContainerArchive archive;
    private final MountPlanner planner;
    private final ExecRunner execs;
    private final HealthMonitor health;
    private final Supplier<HostInfo> host;
    private final Supplier<DockerSeccompProfile> seccompDefault;
    private final NetworkService net;
    private final NameGenerator names = new NameGenerator();
    /**
     * Held by a create from the choice of its name to its record, and by whoever removes a
     * volume from the check that no container uses it to the removal: a volume a create has
     * planned is in use before the create's record says so. The container store's own monitor
     * is a leaf (nothing is called while it is held): the network's lock and a container's
     * lock both reach the store, so a create holding the store across {@code net.prepare}, or
     * a rename taking a container's lock inside it, deadlocked against them.
     */
    private final Object creating = new Object();
    private final EventBus events = new EventBus();
    private final Map<String, LiveContainer> live = new ConcurrentHashMap<>();
    private final Map<String, Set<Attacher>> attachers = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> pendingRestarts = new ConcurrentHashMap<>();
    private final Map<String, Long> backoff = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<ExitResult>>> exitWaiters = new HashMap<>();
    private final Map<String, List<CompletableFuture<ExitResult>>> removeWaiters = new HashMap<>();
    private final ExecutorService platform = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("gantry-engine-", 0).factory());
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("gantry-restarts").factory());
    /** Removed containers' directories, deleted by the {@link Reaper}: rmdir(2) costs ~1 ms each on ext4. */
    private final Path trash;
    private volatile boolean closed;

    private Engine(Path root, Syscalls sys, ContainerRuntime runtime, Runtimes runtimes, ImageService images,
            Cgroups cgroups, Consumer<String> warn, NetworkDefaults network) {
        this.sys = sys;
        this.runtime = runtime;
        this.runtimes = runtimes;
        this.images = images;
        this.cgroups = cgroups;
        this.warn = warn;
        try {
            PrivateDirs.ensure(root);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "engine root " + root + ": " + e.getMessage(), e);
        }
        this.trash = root.resolve("removed");
        emptyTrash();
        this.volumes = new VolumeStore(root.resolve("volumes"));
        this.fs = new ContainerFs(images.snapshots(), new Mounter(sys), root.resolve("init-layer"));
        this.archive = new ContainerArchive(sys);
        this.planner = new MountPlanner(volumes);
        this.host = memo(HostInfo::probe);
        this.seccompDefault = memo(Engine::loadDefaultProfile);
        this.net = new NetworkService(root.resolve("network"), network, sys, events, warn);
        List<Path> orphans = new ArrayList<>();
        this.store = ContainerStore.open(root.resolve("containers"), orphans::add);
        this.execs = new ExecRunner(sys, this::runtimeOf, host);
        this.health = new HealthMonitor(new ExecProber(new ExecProber.Execs() {
            @Override
            public String create(String containerId, ExecRequest request) {
                return execCreate(containerId, request);
            }

            @Override
            public int start(String execId, OutputSink out) {
                return execStart(execId, null, out);
            }

            @Override
            public int pid(String execId) {
                return execInspect(execId).pid();
            }
        }, pid -> sys.kill(pid, SIGKILL)), (id, status) -> {
            if (store.exists(id)) {
                emit(store.get(id), "health_status: " + status, Map.of());
            }
        });
        net.bind(new EngineContainers());
        orphans.forEach(this::removeOrphan);
        removeOrphanSnapshots();
    }

    /**
     * Opens (or creates) the engine's state under {@code root} and reconciles every container
     * with what still runs.
     *
     * @param sys     the kernel
     * @param runtime the OCI runtime (its own state directory should be {@code root/runtime})
     * @param images  the image store containers are made from
     * @param cgroups the host's cgroups, where the runtime puts each container ({@code gantry/<id>})
     * @param warn    where non-fatal problems are reported
     */
    public static Engine open(Path root, Syscalls sys, ContainerRuntime runtime, ImageService images, Cgroups cgroups,
            Consumer<String> warn) {
        return open(root, sys, runtime, images, cgroups, warn, NetworkDefaults.HOST);
    }

    /** As {@link #open(Path, Syscalls, ContainerRuntime, ImageService, Cgroups, Consumer)}, with networking settings. */
    public static Engine open(Path root, Syscalls sys, ContainerRuntime runtime, ImageService images, Cgroups cgroups,
            Consumer<String> warn, NetworkDefaults network) {
        return open(root, sys, runtime, new Runtimes(List.of(new InProcessRuntime(runtime)), InProcessRuntime.NAME),
                images, cgroups, warn, network);
    }

    /**
     * As {@link #open(Path, Syscalls, ContainerRuntime, ImageService, Cgroups, Consumer)}, with
     * {@code runtimes} to choose from by {@code HostConfig.Runtime} (the in-process
     * {@code runtime} should be among them).
     */
    public static Engine open(Path root, Syscalls sys, ContainerRuntime runtime, Runtimes runtimes, ImageService images,
            Cgroups cgroups, Consumer<String> warn) {
        return open(root, sys, runtime, runtimes, images, cgroups, warn, NetworkDefaults.HOST);
    }

    /** As {@link #open(Path, Syscalls, ContainerRuntime, Runtimes, ImageService, Cgroups, Consumer)}, with networking settings. */
    public static Engine open(Path root, Syscalls sys, ContainerRuntime runtime, Runtimes runtimes, ImageService images,
            Cgroups cgroups, Consumer<String> warn, NetworkDefaults network) {
        Engine e = new Engine(root, sys, runtime, runtimes, images, cgroups, warn, network);
        e.onPlatform(() -> {
            e.reconcile();
            return null;
        });
        return e;
    }

    // ---------------------------------------------------------------- create, inspect, list

    /** Creates a container from {@code request.config().image()}; it is not started. */
    public Created create(CreateRequest request) {
        Config cfg = request.config();
        if (cfg == null || cfg.image() == null || cfg.image().isEmpty()) {
            throw GantryException.invalid("Config.Image: an image is required");
        }
        HostConfig hc = request.hostConfig();
        // The runtime's name is recorded, so a later change of the daemon's default does not move the container.
        hc = hc.toBuilder().runtime(runtimes.get(hc.runtime()).name()).build();
        LocalImage image = images.resolve(cfg.image());
        String id = Ids.random();
        Config merged = ConfigMerge.merge(id, cfg, image.config().config());
        boolean hostNet = SpecBuilder.network(hc);
        List<String> warnings = new ArrayList<>();
        // Validates every resource and security setting now, so that create (not start) reports them.
        SpecBuilder.Built probe = SpecBuilder.build(new SpecBuilder.Input(merged, hc, "/", Map.of(),
                new UserResolver.Resolved(0, 0, List.of(), "/"), List.of(), List.of(), host.get(), seccompDefault.get(),
                initBinary(hc)));
        warnings.addAll(probe.warnings());
        hc.devices().forEach(Devices::of);
        Optional<Healthcheck> check = Healthcheck.effective(request.healthcheck(), image.config().config() == null ? null
                : image.config().config().healthcheck());
        List<Digest> chain = ChainId.of(image.config().diffIds());
        String parent = chain.isEmpty() ? null : chain.getLast().toString();
        synchronized (creating) {
            String name = request.name() == null || request.name().isEmpty()
                    ? names.generate(store::nameTaken) : ContainerStore.checkName(request.name());
            if (store.nameTaken(name)) {
                throw GantryException.conflict("name \"/" + name + "\" is already in use by container "
                        + store.resolve(name) + ": remove or rename that container to reuse the name");
            }
            List<String> anonymous = new ArrayList<>();
            List<MountSpec> mounts = planner.plan(hc, merged.volumes(), anonymous);
            ContainerRecord rec = new ContainerRecord(id, name, Instant.now().toString(), cfg.image(),
                    image.id().toString(), parent, merged, hc, ContainerState.created(), 0, false, mounts, anonymous);
            Path dir = store.dir(id);
            try {
                fs.create(id, dir, parent, hostNet ? host.get().hostname() : merged.hostname(), hostNet, hc.autoRemove());
                net.prepare(id, hc.autoRemove(), hostNet ? host.get().hostname() : merged.hostname(), hc.networkMode(), request.network(),
                        exposedPorts(image), dir.resolve("etc-files"));
                check.ifPresent(c -> HealthcheckFile.write(dir, c));
                store.add(rec);
                emit(rec, "create", Map.of());
            } catch (RuntimeException e) {
                removeQuietly(id, dir, anonymous);
                throw e;
            }
        }
        return new Created(id, warnings);
    }

    /** The id {@code ref} names. */
    public String resolve(String ref) {
        return store.resolve(ref);
    }

    public Container inspect(String ref) {
        return view(store.get(store.resolve(ref)));
    }

    /**
     * One sample of the container's resource usage from its cgroup. A container that is not
     * running has no cgroup: its sample has every counter part empty (Docker's zero sample).
     */
    public Stats stats(String ref) {
        String id = store.resolve(ref);
        Container c = view(store.get(id));
        CgroupStats counters = new CgroupStats(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        if (c.state().status().isLive()) {
            try {
                counters = runtimeOf(id).stats(id);
            } catch (GantryException e) {
                if (e.kind() != ErrorKind.CONFLICT && e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        HostCpu.Sample cpu = HostCpu.sample(Path.of("/proc/stat"));
        Path cpuacct = cgroups.v1Mounts().get("cpuacct");
        List<Long> percpu = cpuacct == null || counters.cpu().isEmpty() ? List.of()
                : HostCpu.percpu(cpuacct.resolve(CgroupsPath.of(null, id).relative().replaceFirst("^/", "")).resolve("cpuacct.usage_percpu"));
        return new Stats(id, c.name(), Instant.now(), counters, percpu, cpu.systemCpuNanos(), cpu.onlineCpus(),
                HostCpu.memoryBytes(Path.of("/proc/meminfo")));
    }

    /** Every container ({@code all}) or the running ones, newest first. */
    public List<Container> list(boolean all) {
        List<Container> out = new ArrayList<>();
        for (ContainerRecord r : store.all()) {
            if (all || r.state().status().isLive()) {
                out.add(view(r));
            }
        }
        out.sort((a, b) -> b.created().compareTo(a.created()));
        return out;
    }

    private Container view(ContainerRecord r) {
        List<String> cmdline = new ArrayList<>(r.config().entrypoint() == null ? List.of() : r.config().entrypoint());
        cmdline.addAll(r.config().cmd() == null ? List.of() : r.config().cmd());
        List<Container.MountPoint> mounts = new ArrayList<>();
        for (MountSpec m : r.mounts()) {
            String source = m.type() == MountSpec.Type.VOLUME && volumes.exists(m.source())
                    ? volumes.get(m.source()).mountpoint() : m.source();
            mounts.add(new Container.MountPoint(m.type(), m.type() == MountSpec.Type.VOLUME ? m.source() : null, source,
                    m.target(), !m.readOnly()));
        }
        r.hostConfig().tmpfs().keySet().forEach(t -> mounts.add(
                new Container.MountPoint(MountSpec.Type.TMPFS, null, "", t, true)));
        return new Container(r.id(), r.name(), r.created(), r.imageRef(), r.imageId(),
                cmdline.isEmpty() ? "" : cmdline.getFirst(), cmdline.isEmpty() ? List.of() : cmdline.subList(1, cmdline.size()),
                r.config(), r.hostConfig(), r.state(), r.restartCount(), logPath(r.id()).toString(), mounts);
    }

    /** Whether a container was made from image {@code id} (for image removal and prune). */
    public Predicate<Digest> imageInUse() {
        return d -> store.all().stream().anyMatch(r -> r.imageId().equals(d.toString()));
    }

    /** Gives the container a new name; CONFLICT when it is taken. */
    public void rename(String ref, String newName) {
        String name = ContainerStore.checkName(newName);
        String id = store.resolve(ref);
        synchronized (lock(id)) {
            ContainerRecord old = store.get(id);
            ContainerRecord renamed = old.withName(name);
            // CONFLICT here, atomically, when another container has the name.
            store.put(renamed);
            emit(renamed, "rename", Map.of("oldName", "/" + old.name()));
            net.renamed(id);
        }
    }

    // ---------------------------------------------------------------- events

    /**
     * The engine's event stream: it publishes container and volume events; whoever changes
     * images (the image service has no engine) publishes image events here too.
     */
    public EventBus events() {
        return events;
    }

    /** A container event with Docker's attributes: the container's name, image and labels, then {@code extra}. */
    private void emit(ContainerRecord r, String action, Map<String, String> extra) {
        Map<String, String> attrs = new HashMap<>();
        if (r.config().labels() != null) {
            attrs.putAll(r.config().labels());
        }
        attrs.put("name", r.name());
        attrs.put("image", r.imageRef());
        attrs.putAll(extra);
        events.publish("container", action, r.id(), attrs);
    }

    // ---------------------------------------------------------------- start, stop, kill

    /**
     * Starts a created or exited container: mounts its file system, writes its spec, creates
     * and starts it through the runtime. Returns false when it was already running. An explicit
     * start resets the restart count and the "stopped by the user" mark.
     */
    public boolean start(String ref) {
        String id = store.resolve(ref);
        cancelRestart(id);
        synchronized (lock(id)) {
            if (live.containsKey(id)) {
                return false;
            }
            ContainerRecord r = store.get(id);
            store.put(r.withRestart(0, false));
        }
        backoff.remove(id);
        try {
            return onPlatform(() -> doStart(id));
        } catch (GantryException e) {
            // As dockerd does: an auto-remove container that cannot start is removed, or a
            // client waiting for its removal (docker run --rm) would wait forever.
            if (store.exists(id) && store.get(id).hostConfig().autoRemove()) {
                try {
                    remove(id, true, true);
                } catch (GantryException removal) {
                    e.addSuppressed(removal);
                }
            }
            throw e;
        }
    }

    private boolean doStart(String id) {
        synchronized (lock(id)) {
            if (live.containsKey(id) || closed) {
                return false;
            }
            ContainerRecord r = store.get(id);
            Path dir = store.dir(id);
            List<Integer> toClose = new ArrayList<>();
            List<OutputPump> pumps = new ArrayList<>();
            JsonFileLog log = null;
            ContainerInput input = null;
            boolean created = false;
            Attaching attaching = null;
            try {
                // First: CNI ADD then runs in the namespace the engine made while the runtime creates the container.
                attaching = net.attach(id, dir.resolve("etc-files"));
                Path rootfs = fs.mount(id, dir, r.hostConfig().autoRemove());
                if (r.config().workingDir() != null && !r.config().workingDir().isEmpty()) {
                    archive.mkdirs(rootfs, r.config().workingDir());
                }
                Spec built = specFor(r, dir, rootfs);
                Spec spec = attaching.netns().map(ns -> NetnsJoin.apply(built, ns, built.hostname())).orElse(built);
                Path bundle = Files.createDirectories(dir.resolve("bundle"));
                try (var out = Files.newOutputStream(bundle.resolve("config.json"))) {
                    OciSpecs.write(spec, out);
                }
                cleanupRuntime(id);
                log = new JsonFileLog(logPath(id), r.hostConfig().logConfig());
                JsonFileLog logRef = log;
                OutputPump.Target target = (stream, time, buf, off, len) -> logRef.write(stream, time, buf, off, len);
                OutputPump.Tap tap = (stream, buf, off, len) -> {
                    for (Attacher a : attachers.getOrDefault(id, Set.of())) {
                        a.output(stream, buf, off, len);
                    }
                };
                Map<Integer, Integer> stdio = new HashMap<>();
                if (r.config().openStdin() && !r.config().tty()) {
                    int[] containerEnd = {-1};
                    input = ContainerInput.fifo(sys, dir.resolve("stdin.fifo"), containerEnd);
                    toClose.add(containerEnd[0]);
                    stdio.put(0, containerEnd[0]);
                } else {
                    int devNull = sys.open("/dev/null", Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0);
                    toClose.add(devNull);
                    stdio.put(0, devNull);
                }
                int[] master = {-1};
                Console console = null;
                if (r.config().tty()) {
                    console = new Console.Receiver(fd -> master[0] = fd);
                } else {
                    int outR = Fifos.openReader(sys, dir.resolve("stdout.fifo"));
                    pumps.add(OutputPump.start(sys, outR, true, LogStream.STDOUT, target, tap, warn, "gantry-out-" + id.substring(0, 12)));
                    int errR = Fifos.openReader(sys, dir.resolve("stderr.fifo"));
                    pumps.add(OutputPump.start(sys, errR, true, LogStream.STDERR, target, tap, warn, "gantry-err-" + id.substring(0, 12)));
                    int outW = Fifos.openWriter(sys, dir.resolve("stdout.fifo"));
                    toClose.add(outW);
                    int errW = Fifos.openWriter(sys, dir.resolve("stderr.fifo"));
                    toClose.add(errW);
                    stdio.put(1, outW);
                    stdio.put(2, errW);
                }
                OciRuntime rt = runtimeOf(id);
                int initPid = rt.create(id, dir.resolve("bundle"), console, stdio);
                created = true;
                attaching.await();
                toClose.forEach(sys::close);
                toClose.clear();
                if (master[0] >= 0) {
                    input = ContainerInput.terminal(sys, master[0]);
                    pumps.add(OutputPump.start(sys, master[0], false, LogStream.STDOUT, target, tap, warn,
                            "gantry-tty-" + id.substring(0, 12)));
                }
                int pidfd = sys.pidfdOpen(initPid);
                rt.start(id);
                LiveContainer l = new LiveContainer(id, initPid, pidfd, pumps, log, input);
                live.put(id, l);
                ContainerState s = new ContainerState(Status.RUNNING, initPid, 0, "", Instant.now().toString(), null, false);
                store.put(store.get(id).withState(s));
                // Published before the monitor runs, so that "start" always comes before "die".
                emit(store.get(id), "start", Map.of());
                HealthcheckFile.read(dir).ifPresent(h -> health.started(id, h));
                Thread.ofPlatform().daemon().name("gantry-monitor-" + id.substring(0, 12)).start(() -> monitor(l));
                return true;
            } catch (IOException | RuntimeException e) {
                toClose.forEach(sys::close);
                pumps.forEach(OutputPump::stop);
                pumps.forEach(OutputPump::join);
                if (input != null) {
                    input.release();
                }
                if (log != null) {
                    log.close();
                }
                if (attaching != null) {
                    detachNetwork(id);
                }
                if (created) {
                    cleanupRuntime(id);
                }
                fs.unmount(dir);
                GantryException g = e instanceof GantryException ge ? ge
                        : new GantryException(ErrorKind.UNAVAILABLE, "starting container " + id + ": " + e.getMessage(), e);
                ContainerState prev = store.get(id).state();
                int code = g.kind() == ErrorKind.NOT_FOUND ? 127 : g.kind() == ErrorKind.PERMISSION_DENIED ? 126 : 128;
                store.put(store.get(id).withState(new ContainerState(
                        prev.status() == Status.CREATED ? Status.CREATED : Status.EXITED, 0, code, g.getMessage(),
                        prev.startedAt(), prev.finishedAt(), false)));
                throw g;
            }
        }
    }

    private Spec specFor(ContainerRecord r, Path dir, Path rootfs) {
        UserResolver.Resolved user = UserResolver.resolve(r.config().user(),
                ContainerFs.readInContainer(rootfs, "/etc/passwd"), ContainerFs.readInContainer(rootfs, "/etc/group"));
        List<LinuxDevice> devices = r.hostConfig().privileged() ? Devices.allHost()
                : r.hostConfig().devices().stream().map(Devices::of).toList();
        // Mode container:<id> shares the other container's namespace, hostname and /etc files.
        Optional<String> joined = net.joinedContainer(r.id());
        Spec spec = SpecBuilder.build(new SpecBuilder.Input(r.config(), r.hostConfig(), rootfs.toString(),
                fs.etcFiles(joined.map(store::dir).orElse(dir)), user,
                planner.resolve(r.mounts(), r.hostConfig().tmpfs(), rootfs, name -> volumeMountedByAnother(name, r.id())),
                devices, host.get(), seccompDefault.get(), initBinary(r.hostConfig()))).spec();
        return joined.map(j -> NetnsJoin.apply(spec, net.netnsPath(j), store.get(j).config().hostname())).orElse(spec);
    }

    /** The runtime's init file when {@code --init} asks for it (written once per runtime root). */
    private String initBinary(HostConfig hc) {
        return hc.init() ? runtime.initBinary().toString() : null;
    }

    /**
     * Stops a running container: {@code signal} (null: its StopSignal, else SIGTERM), then
     * SIGKILL to every process after {@code timeout} (null: its StopTimeout, else 10 s;
     * negative: wait forever). Returns false when it was not running. Its restart policy
     * does not restart it.
     */
    public boolean stop(String ref, String signal, Duration timeout) {
        String id = store.resolve(ref);
        LiveContainer l;
        synchronized (lock(id)) {
            ContainerRecord r = store.get(id);
            if (cancelRestart(id)) {
                store.put(r.withRestart(r.restartCount(), true).withState(r.state().withStatus(Status.EXITED)));
                completeExitWaiters(id, new ExitResult(r.state().exitCode(), ""));
                return true;
            }
            l = live.get(id);
            if (l == null) {
                return false;
            }
            l.stopRequested = true;
            store.put(r.withRestart(r.restartCount(), true));
        }
        ContainerRecord r = store.get(id);
        String sigName = signal != null ? signal : r.config().stopSignal();
        int sig = sigName == null || sigName.isEmpty() ? SIGTERM : Signals.parse(sigName);
        Duration wait = timeout != null ? timeout
                : Duration.ofSeconds(r.config().stopTimeout() != null ? r.config().stopTimeout() : DEFAULT_STOP_SECONDS);
        emit(r, "kill", Map.of("signal", Integer.toString(sig)));
        onPlatform(() -> {
            signalLive(id, sig, false);
            if (!awaitDone(l, wait.isNegative() ? null : wait)) {
                signalLive(id, SIGKILL, true);
                if (!awaitDone(l, Duration.ofSeconds(KILL_WAIT_SECONDS))) {
                    throw new GantryException(ErrorKind.TIMEOUT, "container " + id + " did not exit after SIGKILL");
                }
            }
            return null;
        });
        emit(store.get(id), "stop", Map.of());
        return true;
    }

    /**
     * Changes a container's resource limits and restart policy ({@code docker update}): a
     * running container's cgroup at once, and the stored configuration, which the next start
     * applies. Values are validated as at create. Returns warnings (settings the host ignores).
     */
    public List<String> update(String ref, ResourceChange change) {
        String id = store.resolve(ref);
        List<String> warnings = new ArrayList<>();
        synchronized (lock(id)) {
            ContainerRecord r = store.get(id);
            HostConfig h = change.applyTo(r.hostConfig());
            LinuxResources resources = SpecBuilder.updatable(h, host.get(), warnings);
            if (live.containsKey(id)) {
                onPlatform(() -> {
                    runtimeOf(id).update(id, resources);
                    return null;
                });
            }
            store.put(r.withHostConfig(h));
            emit(r, "update", Map.of());
        }
        return warnings;
    }

    /** Sends a signal to the container's init (null: SIGKILL); CONFLICT when it is not running. */
    public void kill(String ref, String signal) {
        String id = store.resolve(ref);
        int sig = signal == null || signal.isEmpty() ? SIGKILL : Signals.parse(signal);
        LiveContainer l = live.get(id);
        if (l == null) {
            throw GantryException.conflict("container " + id + " is not running");
        }
        // As in dockerd, a container the user killed counts as stopped by the user.
        l.stopRequested = true;
        synchronized (lock(id)) {
            ContainerRecord r = store.get(id);
            store.put(r.withRestart(r.restartCount(), true));
            emit(r, "kill", Map.of("signal", Integer.toString(sig)));
        }
        onPlatform(() -> {
            signalLive(id, sig, false);
            return null;
        });
    }

    /** Stops (as {@link #stop}) then starts the container. */
    public void restart(String ref, Duration timeout) {
        stop(ref, null, timeout);
        start(ref);
    }

    /** Freezes every process of a running container. */
    public void pause(String ref) {
        String id = store.resolve(ref);
        synchronized (lock(id)) {
            ContainerRecord r = store.get(id);
            if (!live.containsKey(id) || r.state().status() != Status.RUNNING) {
                throw GantryException.conflict("container " + id + " is not running");
            }
            onPlatform(() -> {
                runtimeOf(id).pause(id);
                return null;
            });
            store.put(r.withState(r.state().withStatus(Status.PAUSED)));
            emit(r, "pause", Map.of());
        }
    }

    public void unpause(String ref) {
        String id = store.resolve(ref);
        synchronized (lock(id)) {
            ContainerRecord r = store.get(id);
            if (r.state().status() != Status.PAUSED) {
                throw GantryException.conflict("container " + id + " is not paused");
            }
            onPlatform(() -> {
                runtimeOf(id).resume(id);
                return null;
            });
            store.put(r.withState(r.state().withStatus(Status.RUNNING)));
            emit(r, "unpause", Map.of());
        }
    }

    private void signalLive(String id, int sig, boolean all) {
        try {
            OciRuntime rt = runtimeOf(id);
            rt.kill(id, sig, all);
            if (store.get(id).state().status() == Status.PAUSED) {
                // A frozen process acts on a signal only once thawed.
                rt.resume(id);
            }
        } catch (GantryException e) {
            if (e.kind() != ErrorKind.CONFLICT && e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static boolean awaitDone(LiveContainer l, Duration d) {
        try {
            if (d == null) {
                l.done.get();
            } else {
                l.done.get(d.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while waiting for container " + l.id, e);
        } catch (ExecutionException e) {
            return true;
        }
    }

    // ---------------------------------------------------------------- exit, restart policy

    /**
     * How long an adopted container's exited init may stay a zombie before its exit is recorded
     * as lost. Its parent is now init (or a subreaper above the engine), which reaps it in its
     * own time: systemd at once, some minimal inits only every second or two.
     */
    private static final long REAP_WAIT_NANOS = 10_000_000_000L;
    private static final long REAP_POLL_MILLIS = 20;

    /**
     * The container's monitor: waits for its init to exit (a pidfd polls readable then, for
     * our child and for a process adopted after an engine restart alike), reaps it when it is
     * our child, and records the exit. Short polls let a closing engine end it without
     * reaping: the next engine will.
     */
    private void monitor(LiveContainer l) {
        while (!closed) {
            if (sys.poll(l.pidfd, Syscalls.POLLIN, 500) != 0) {
                break;
            }
        }
        Integer code = null;
        try {
            if (!closed) {
                code = exitCode(l);
            }
        } finally {
            sys.close(l.pidfd);
        }
        if (code == null && closed) {
            return;
        }
        try {
            recordExit(l, code);
        } catch (RuntimeException e) {
            warn.accept("recording the exit of container " + l.id + ": " + e.getMessage());
            endAttachments(l.id);
            l.done.complete(code == null ? -1 : code);
        }
    }

    /**
     * The shell code of the exited init: from waitid when the engine is its parent, from the
     * kernel's record once another process reaped it when the engine adopted it after a
     * restart ({@link Syscalls#pidfdExit}, Linux 6.15); null when neither can tell.
     */
    private Integer exitCode(LiveContainer l) {
        try {
            return sys.waitPidfd(l.pidfd).shellCode();
        } catch (SysException e) {
            if (e.errno() != Errno.ECHILD) {
                warn.accept("waiting for container " + l.id + ": " + e.getMessage());
                return null;
            }
        }
        long deadline = System.nanoTime() + REAP_WAIT_NANOS;
        while (true) {
            PidfdExit end;
            try {
                end = sys.pidfdExit(l.pidfd);
            } catch (SysException e) {
                warn.accept("asking the kernel how container " + l.id + " ended: " + e.getMessage());
                return null;
            }
            switch (end) {
                case PidfdExit.Known k -> {
                    return k.status().shellCode();
                }
                case PidfdExit.Unknown u -> {
                    return null;
                }
                case PidfdExit.NotYet n -> {
                    if (closed || System.nanoTime() > deadline) {
                        return null;
                    }
                }
            }
            try {
                Thread.sleep(REAP_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private void recordExit(LiveContainer l, Integer code) {
        String id = l.id;
        l.drainOutput(DRAIN_MILLIS);
        boolean restart;
        boolean autoRemove;
        ExitResult result;
        health.stopped(id);
        synchronized (lock(id)) {
            boolean oom = oomKilled(id);
            cleanupRuntime(id);
            detachNetwork(id);
            fs.unmount(store.dir(id));
            live.remove(id);
            ContainerRecord r = store.get(id);
            int exit = code == null ? 255 : code;
            String error = code == null ? "the exit status was lost: the engine restarted while the container ran" : "";
            RestartPolicy policy = r.hostConfig().restartPolicy();
            restart = !closed && policy.shouldRestart(exit, r.restartCount(), l.stopRequested);
            autoRemove = !restart && r.hostConfig().autoRemove();
            ContainerState s = new ContainerState(restart ? Status.RESTARTING : Status.EXITED, 0, exit, error,
                    r.state().startedAt(), Instant.now().toString(), oom);
            store.put(r.withState(s));
            emit(r, "die", Map.of("exitCode", Integer.toString(exit)));
            result = new ExitResult(exit, error);
            if (restart) {
                long delay = nextBackoff(id, System.nanoTime() - l.startedNanos);
                pendingRestarts.put(id, restarts.schedule(() -> policyRestart(id), delay, TimeUnit.MILLISECONDS));
            }
        }
        // After the exit is recorded: a client whose attachment ended sees it in inspect.
        endAttachments(id);
        l.done.complete(result.exitCode());
        completeExitWaiters(id, result);
        if (autoRemove) {
            try {
                remove(id, true, true);
            } catch (GantryException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    warn.accept("auto-removing container " + id + ": " + e.getMessage());
                }
            }
        }
    }

    /** Docker's backoff: 100 ms, doubled on each restart, back to 100 ms after 10 s of running. */
    private long nextBackoff(String id, long ranNanos) {
        Long prev = backoff.get(id);
        long next = prev == null || ranNanos >= BACKOFF_RESET_NANOS ? FIRST_BACKOFF_MILLIS
                : Math.min(prev * 2, MAX_BACKOFF_MILLIS);
        backoff.put(id, next);
        return next;
    }

    private void policyRestart(String id) {
        pendingRestarts.remove(id);
        try {
            synchronized (lock(id)) {
                if (!store.exists(id) || closed) {
                    return;
                }
                ContainerRecord r = store.get(id);
                if (r.state().status() != Status.RESTARTING) {
                    return;
                }
                store.put(r.withRestart(r.restartCount() + 1, false));
            }
            doStart(id);
        } catch (RuntimeException e) {
            warn.accept("restarting container " + id + ": " + e.getMessage());
            completeExitWaiters(id, new ExitResult(store.exists(id) ? store.get(id).state().exitCode() : 128, e.getMessage()));
        }
    }

    /** Cancels a scheduled policy restart; true when one was pending. */
    private boolean cancelRestart(String id) {
        ScheduledFuture<?> f = pendingRestarts.remove(id);
        return f != null && f.cancel(false);
    }

    private boolean oomKilled(String id) {
        try {
            CgroupManager cg = cgroups.manager(CgroupsPath.of(null, id));
            return cg.exists() && cg.stats().memory().map(CgroupStats.Memory::oomKills).orElse(0L) > 0;
        } catch (GantryException e) {
            return false;
        }
    }

    /** Deletes the runtime's state of the container and its cgroup, whatever is left of them. */
    private void cleanupRuntime(String id) {
        try {
            runtimeOf(id).delete(id, true);
        } catch (GantryException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                warn.accept("deleting the runtime state of " + id + ": " + e.getMessage());
            }
        }
        try {
            CgroupManager cg = cgroups.manager(CgroupsPath.of(null, id));
            if (cg.exists()) {
                if (!cg.pids().isEmpty()) {
                    cg.killAll(Duration.ofSeconds(5));
                }
                cg.destroy(Duration.ofSeconds(5));
            }
        } catch (GantryException e) {
            warn.accept("removing the cgroup of " + id + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- wait, remove, prune

    /**
     * Registers a wait and returns at once; the future completes when {@code condition}
     * holds. Register before {@link #start} to be sure to see a {@code NEXT_EXIT}.
     */
    public CompletableFuture<ExitResult> wait(String ref, WaitCondition condition) {
        String id = store.resolve(ref);
        CompletableFuture<ExitResult> f = new CompletableFuture<>();
        synchronized (lock(id)) {
            ContainerRecord r = store.get(id);
            Status s = r.state().status();
            if (condition == WaitCondition.NOT_RUNNING && !live.containsKey(id) && s != Status.RESTARTING) {
                f.complete(new ExitResult(r.state().exitCode(), r.state().error()));
                return f;
            }
            Map<String, List<CompletableFuture<ExitResult>>> waiters =
                    condition == WaitCondition.REMOVED ? removeWaiters : exitWaiters;
            synchronized (waiters) {
                waiters.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
            }
        }
        return f;
    }

    private void completeExitWaiters(String id, ExitResult result) {
        List<CompletableFuture<ExitResult>> fs;
        synchronized (exitWaiters) {
            fs = exitWaiters.remove(id);
        }
        if (fs != null) {
            fs.forEach(f -> f.complete(result));
        }
    }

    /**
     * Removes the container, its writable layer, log and state; with {@code removeVolumes}
     * its anonymous volumes too. A running container is CONFLICT unless {@code force}, which
     * kills it first.
     */
    public void remove(String ref, boolean force, boolean removeVolumes) {
        String id = store.resolve(ref);
        LiveContainer l = live.get(id);
        if (l != null) {
            if (!force) {
                throw GantryException.conflict("cannot remove container " + id
                        + ": container is running: stop the container before removing or force remove");
            }
            l.stopRequested = true;
            onPlatform(() -> {
                signalLive(id, SIGKILL, true);
                if (!awaitDone(l, Duration.ofSeconds(KILL_WAIT_SECONDS))) {
                    throw new GantryException(ErrorKind.TIMEOUT, "container " + id + " did not exit after SIGKILL");
                }
                return null;
            });
        }
        cancelRestart(id);
        ContainerRecord r;
        synchronized (lock(id)) {
            if (live.containsKey(id)) {
                throw GantryException.conflict("cannot remove container " + id + ": it was started again meanwhile");
            }
            r = store.get(id);
            Path dir = store.dir(id);
            // The record goes first: a crash after this leaves an orphan directory, which the next open removes.
            store.remove(id);
            removeQuietly(id, dir, removeVolumes ? r.anonymousVolumes() : List.of());
        }
        emit(r, "destroy", Map.of());
        locks.remove(id);
        backoff.remove(id);
        endAttachments(id);
        List<CompletableFuture<ExitResult>> fs;
        synchronized (removeWaiters) {
            fs = removeWaiters.remove(id);
        }
        if (fs != null) {
            fs.forEach(f -> f.complete(new ExitResult(r.state().exitCode(), "")));
        }
        completeExitWaiters(id, new ExitResult(r.state().exitCode(), ""));
    }

    private void removeQuietly(String id, Path dir, List<String> anonymousVolumes) {
        health.forget(id);
        cleanupRuntime(id);
        try {
            net.forget(id);
        } catch (GantryException e) {
            warn.accept("releasing the network of container " + id + ": " + e.getMessage());
        }
        fs.remove(id, dir);
        discard(id, dir);
        synchronized (creating) {
            for (String v : anonymousVolumes) {
                if (volumes.exists(v) && !volumeInUse(v)) {
                    volumes.remove(v);
                }
            }
        }
    }

    /** Removes every container that is not running or restarting. */
    public PruneResult prune() {
        List<String> removed = new ArrayList<>();
        long space = 0;
        for (ContainerRecord r : store.all()) {
            Status s = r.state().status();
            if (s == Status.CREATED || s == Status.EXITED || s == Status.DEAD) {
                long size = images.snapshots().exists(r.id()) ? images.snapshots().usage(r.id()).bytes() : 0;
                try {
                    remove(r.id(), false, false);
                    removed.add(r.id());
                    space += size;
                } catch (GantryException e) {
                    if (e.kind() != ErrorKind.CONFLICT && e.kind() != ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
        return new PruneResult(removed, space);
    }

    // ---------------------------------------------------------------- logs

    /**
     * Reads the container's json-file log into {@code sink}; with {@code follow}, until the
     * container stops (its output fully written) or the sink throws.
     */
    public void logs(String ref, LogOptions options, LogSink sink) throws IOException {
        String id = store.resolve(ref);
        ContainerRecord r = store.get(id);
        new LogReader(logPath(id), r.hostConfig().logConfig().maxFile()).read(options, () -> live.containsKey(id), sink);
    }

    // ---------------------------------------------------------------- attach, resize

    /**
     * Attaches a client to the container's streams: registers at once (output from now on is
     * kept for it, also before the container starts, as {@code docker run} attaches first) and
     * returns the attachment, whose {@link Attachment#run} then pumps. With {@code logs} the log
     * written before this call is replayed first. The client's input reaches the container only
     * when it was created with {@code openStdin}; with {@code stdinOnce} the container's stdin is
     * closed when that input ends or the client detaches. INVALID_ARGUMENT for bad detach keys.
     */
    public Attachment attach(String ref, AttachOptions options) {
        String id = store.resolve(ref);
        Config config = store.get(id).config();
        DetachKeys keys = DetachKeys.parse(options.detachKeys());
        Instant from = Instant.now();
        Attacher.InputTarget target = new Attacher.InputTarget() {
            @Override
            public ContainerInput current() {
                LiveContainer l = live.get(id);
                return l != null && config.openStdin() ? l.input : null;
            }

            @Override
            public boolean runningWithoutInput() {
                // An adopted container (after a daemon restart) runs without the engine's end of its stdin.
                LiveContainer l = live.get(id);
                return l != null && (!config.openStdin() || l.input == null);
            }
        };
        Attacher a = new Attacher(id.substring(0, 12), options.stdout(), options.stderr(), keys, target,
                config.openStdin() && config.stdinOnce(), self -> {
                    Set<Attacher> registered = attachers.get(id);
                    if (registered != null) {
                        registered.remove(self);
                    }
                });
        if (options.stream()) {
            attachers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(a);
        }
        return (in, sink) -> {
            if (options.logs()) {
                logs(id, new LogOptions(options.stdout(), options.stderr(), false, -1, null, from),
                        e -> sink.write(e.stream(), e.line(), 0, e.line().length));
            }
            if (!options.stream()) {
                return Attachment.End.EXITED;
            }
            return a.run(options.stdin() ? in : null, sink);
        };
    }

    /** {@link #attach(String, AttachOptions)} and {@link Attachment#run} in one call. */
    public Attachment.End attach(String ref, AttachOptions options, InputStream in, OutputSink sink) throws IOException {
        return attach(ref, options).run(in, sink);
    }

    /** Ends the attachments to a container whose output ended (they write what is queued first). */
    private void endAttachments(String id) {
        Set<Attacher> ended = attachers.remove(id);
        if (ended != null) {
            ended.forEach(a -> a.finish(Attachment.End.EXITED));
        }
    }

    /** Sets the window size of the container's terminal; CONFLICT when it is not running or has no TTY. */
    public void resize(String ref, int rows, int cols) {
        String id = store.resolve(ref);
        LiveContainer l = live.get(id);
        if (l == null) {
            throw GantryException.conflict("container " + id + " is not running");
        }
        if (l.input == null || !l.input.isTerminal()) {
            throw GantryException.conflict("container " + id + " has no TTY to resize");
        }
        l.input.resize(rows, cols);
    }

    private Path logPath(String id) {
        return store.dir(id).resolve(id + "-json.log");
    }

    // ---------------------------------------------------------------- exec

    /** Registers a process to run in the running container; returns the exec id. */
    public String execCreate(String ref, ExecRequest request) {
        String id = store.resolve(ref);
        if (!live.containsKey(id)) {
            throw GantryException.conflict("container " + id + " is not running");
        }
        if (store.get(id).state().status() == Status.PAUSED) {
            throw GantryException.conflict("container " + id + " is paused, unpause the container before exec");
        }
        if (request.cmd().isEmpty()) {
            throw GantryException.invalid("Cmd: no exec command specified");
        }
        String execId = execs.create(id, request);
        emit(store.get(id), "exec_create: " + String.join(" ", request.cmd()), Map.of("execID", execId));
        return execId;
    }

    /**
     * Runs the exec'd process, writing its output to {@code out} and feeding it {@code stdin}
     * (null: /dev/null) until it exits; returns its exit code.
     */
    public int execStart(String execId, InputStream stdin, OutputSink out) {
        ExecInspect e = execs.inspect(execId);
        if (!live.containsKey(e.containerId())) {
            throw GantryException.conflict("container " + e.containerId() + " is not running");
        }
        Path dir = store.dir(e.containerId());
        emit(store.get(e.containerId()), "exec_start: " + String.join(" ", e.request().cmd()), Map.of("execID", execId));
        return onPlatform(() -> execs.start(execId, dir, stdin, out, warn));
    }

    public ExecInspect execInspect(String execId) {
        return execs.inspect(execId);
    }

    /** Resizes a running exec's terminal; CONFLICT when it has none or has ended. */
    public void execResize(String execId, int rows, int cols) {
        execs.resize(execId, rows, cols);
    }

    // ---------------------------------------------------------------- commit, diff

    /**
     * Makes an image of the container's writable layer on top of its image
     * ({@code docker commit}), named {@code reference} (null: unnamed), with the container's
     * configuration as {@code changes} makes it ({@code docker commit --change}). A running
     * container is paused meanwhile when {@code pause}.
     */
    public LocalImage commit(String ref, String reference, String comment, boolean pause,
            UnaryOperator<ContainerConfig> changes) {
        String id = store.resolve(ref);
        ContainerRecord r = store.get(id);
        boolean paused = false;
        if (pause && live.containsKey(id) && r.state().status() == Status.RUNNING) {
            pause(id);
            paused = true;
        }
        try {
            return images.commit(id, r.imageId(), reference, changes.apply(ConfigMerge.toImage(r.config())), comment);
        } finally {
            if (paused) {
                unpause(id);
            }
        }
    }

    /** The container's changes against its image; the init layer's files are never among them. */
    public List<Change> changes(String ref) {
        return fs.changes(store.resolve(ref));
    }

    /**
     * Bytes in the regular files of the container's writable layer (Docker's {@code SizeRw});
     * -1 (Docker's "not computed") when it cannot be measured: the container was removed
     * meanwhile, or removed files as they were walked.
     */
    public long writableLayerSize(String ref) {
        return measured(() -> fs.writableSize(store.resolve(ref)));
    }

    /** Bytes in the regular files of a volume (Docker's {@code UsageData.Size}); -1 when it cannot be measured. */
    public long volumeSize(String name) {
        return measured(() -> FileTrees.size(Path.of(volumes.get(name).mountpoint())));
    }

    private static long measured(java.util.function.LongSupplier size) {
        try {
            return size.getAsLong();
        } catch (GantryException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- archive (docker cp, export)

    /**
     * Describes {@code path} in the container without following a final symlink (unless the
     * path ends in "/" or "/."). Every path is resolved inside the container's rootfs, or inside
     * the volume or bind mount that holds it: a symlink can never lead out of it. NOT_FOUND for
     * a missing path; INVALID_ARGUMENT for a path inside a tmpfs mount.
     */
    public PathInfo statPath(String ref, String path) {
        return onRootfs(ref, path, false, (root, etcFiles, p, name) -> archive.stat(root, etcFiles, p, name));
    }

    /**
     * Writes {@code path} as a tar archive ({@code docker cp container:path}): its member is
     * named after the path's last component, a directory's members below it.
     */
    public void getArchive(String ref, String path, OutputStream out) {
        onRootfs(ref, path, false, (root, etcFiles, p, name) -> {
            archive.get(root, etcFiles, p, name, out);
            return null;
        });
    }

    /**
     * Extracts a tar archive into the existing directory {@code dirPath} of the container
     * ({@code docker cp - container:dir}), or of the volume or bind mount that holds it (not a
     * read-only one). Members that would land outside (absolute or {@code ..} names, links
     * through symlinks) are refused with INVALID_ARGUMENT; owners are the archive's when
     * {@code keepOwners}, otherwise root.
     */
    public void putArchive(String ref, String dirPath, InputStream tar, boolean noOverwriteDirNonDir, boolean keepOwners) {
        onRootfs(ref, dirPath, true, (root, etcFiles, p, name) -> {
            archive.put(root, p, tar, noOverwriteDirNonDir, keepOwners);
            return null;
        });
    }

    /** Writes the container's whole root file system as a tar archive ({@code docker export}). */
    public void export(String ref, OutputStream out) {
        onRootfs(ref, "/", false, (root, etcFiles, p, name) -> {
            archive.export(root, out);
            return null;
        });
    }

    /**
     * Work on a path of a container: the directory it is resolved in (the rootfs, or a volume's
     * or bind's host directory), the engine's /etc files (null below a mount), the path there, and
     * the name to give it (null: its own).
     */
    @FunctionalInterface
    private interface RootfsWork<T> {
        T run(Path root, Path etcFiles, String path, String name) throws IOException;
    }

    /**
     * Runs {@code work} on the volume or bind that holds {@code path}, else on the rootfs: a
     * running container's as it is; a stopped one's mounted for the work and unmounted after,
     * under the container's lock so it cannot start meanwhile.
     */
    private <T> T onRootfs(String ref, String path, boolean writes, RootfsWork<T> work) {
        String id = store.resolve(ref);
        ContainerRecord r = store.get(id);
        Optional<MountedPath> mounted = MountedPath.find(path, r.mounts(), r.hostConfig().tmpfs().keySet(),
                name -> volumes.get(name).mountpoint());
        Path dir = store.dir(id);
        try {
            if (mounted.isPresent()) {
                MountedPath m = mounted.get();
                if (writes && m.readOnly()) {
                    throw GantryException.invalid("path " + path + ": the mount that holds it is read-only");
                }
                return work.run(m.hostRoot(), null, m.path(), m.name());
            }
            synchronized (lock(id)) {
                if (!live.containsKey(id) || !ContainerFs.isMounted(dir.resolve("rootfs"))) {
                    Path rootfs = fs.mount(id, dir);
                    try {
                        return work.run(rootfs, dir.resolve("etc-files"), path, null);
                    } finally {
                        if (!live.containsKey(id)) {
                            fs.unmount(dir);
                        }
                    }
                }
            }
            return work.run(dir.resolve("rootfs"), dir.resolve("etc-files"), path, null);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "container " + id + " path " + path + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- volumes

    /** Creates a named volume (null or empty name: an anonymous one); an existing name is returned as it is. */
    public Volume createVolume(String name, Map<String, String> labels) {
        boolean existed = name != null && !name.isEmpty() && volumes.exists(name);
        Volume v = volumes.create(name, labels, false);
        if (!existed) {
            events.publish("volume", "create", v.name(), Map.of("driver", "local"));
        }
        return v;
    }

    public Volume volume(String name) {
        return volumes.get(name);
    }

    public List<Volume> volumes() {
        return volumes.list();
    }

    /** Removes a volume; CONFLICT while a container uses it. */
    public void removeVolume(String name) {
        synchronized (creating) {
            if (volumeInUse(name)) {
                throw GantryException.conflict("remove " + name + ": volume is in use by a container");
            }
            volumes.remove(name);
        }
        events.publish("volume", "destroy", name, Map.of("driver", "local"));
    }

    /** Removes unused volumes: anonymous ones, or every unused one when {@code all}. */
    public PruneResult pruneVolumes(boolean all) {
        List<String> removed = new ArrayList<>();
        long space = 0;
        synchronized (creating) {
            for (Volume v : volumes.list()) {
                if ((all || v.anonymous()) && !volumeInUse(v.name())) {
                    space += volumes.remove(v.name());
                    removed.add(v.name());
                }
            }
        }
        return new PruneResult(removed, space);
    }

    /** Whether a live container other than {@code self} has the named volume mounted. */
    private boolean volumeMountedByAnother(String name, String self) {
        return store.all().stream().anyMatch(r -> !r.id().equals(self)
                && (r.state().status() == Status.RUNNING || r.state().status() == Status.PAUSED
                        || r.state().status() == Status.RESTARTING)
                && r.mounts().stream().anyMatch(m -> m.type() == MountSpec.Type.VOLUME && name.equals(m.source())));
    }

    private boolean volumeInUse(String name) {
        return store.all().stream().anyMatch(r -> r.mounts().stream()
                .anyMatch(m -> m.type() == MountSpec.Type.VOLUME && name.equals(m.source())));
    }

    // ---------------------------------------------------------------- reconcile, close

    /**
     * After an engine start: containers whose init still runs are managed again (monitor,
     * output pumps on their FIFOs); the others are recorded as exited and cleaned up; then
     * restart policies apply as on a daemon start ({@link RestartPolicy#restartsOnEngineStart}).
     */
    private void reconcile() {
        List<String> autoRemoved = new ArrayList<>();
        for (ContainerRecord r : store.all()) {
            String id = r.id();
            Status recorded = r.state().status();
            boolean wasRunning = recorded.isLive() || recorded == Status.RESTARTING;
            if (recorded.isLive() && adopt(r)) {
                continue;
            }
            cleanupRuntime(id);
            detachNetwork(id);
            fs.unmount(store.dir(id));
            if (recorded.isLive()) {
                store.put(r.withState(new ContainerState(Status.EXITED, 0, 255,
                        "the engine stopped while the container ran; its exit status is unknown",
                        r.state().startedAt(), Instant.now().toString(), false)));
            } else if (recorded == Status.RESTARTING) {
                store.put(r.withState(r.state().withStatus(Status.EXITED)));
            }
            // As dockerd's start: a container started before and not dead (its removal failed), by how it ended.
            boolean again = recorded != Status.CREATED && recorded != Status.DEAD && r.hostConfig().restartPolicy()
                    .restartsOnEngineStart(store.get(id).state().exitCode(), r.restartCount(), r.manuallyStopped());
            // As dockerd on start: a --rm container that ended while no engine ran is removed now.
            if (!again && r.hostConfig().autoRemove() && (wasRunning || recorded == Status.EXITED)) {
                autoRemoved.add(id);
            }
            if (again) {
                // dockerd starts these with a fresh restart manager: RestartCount 0, no longer "stopped by the user".
                store.put(store.get(id).withRestart(0, false));
                try {
                    doStart(id);
                } catch (GantryException e) {
                    warn.accept("restarting container " + id + " on engine start: " + e.getMessage());
                }
            }
        }
        for (String id : autoRemoved) {
            try {
                remove(id, true, true);
            } catch (GantryException e) {
                warn.accept("removing --rm container " + id + " on engine start: " + e.getMessage());
            }
        }
        net.collect(live.keySet());
    }

    /** CNI DEL of the container's attachments; a failure is reported and left to the next engine start. */
    private void detachNetwork(String id) {
        try {
            net.detach(id);
        } catch (GantryException e) {
            warn.accept("releasing the network of container " + id + ": " + e.getMessage());
        }
    }

    /** The image's {@code ExposedPorts} keys, which {@code -P} publishes. */
    private static Set<String> exposedPorts(LocalImage image) {
        var cfg = image.config().config();
        return cfg == null || cfg.exposedPorts() == null ? Set.of() : cfg.exposedPorts().keySet();
    }

    /** The engine's networks (create, list, connect…) and its containers' addresses and ports. */
    public NetworkService networks() {
        return net;
    }

    /** The engine's containers as networking sees them. */
    private final class EngineContainers implements ContainerLookup {
        @Override
        public String resolve(String ref) {
            return store.resolve(ref);
        }

        @Override
        public String name(String id) {
            return store.get(id).name();
        }

        @Override
        public java.util.OptionalInt runningPid(String id) {
            LiveContainer l = live.get(id);
            return l == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(l.pid);
        }

        @Override
        public Object lock(String id) {
            return Engine.this.lock(id);
        }
    }

    private boolean adopt(ContainerRecord r) {
        String id = r.id();
        State st;
        try {
            st = runtimeOf(id).state(id);
        } catch (GantryException e) {
            return false;
        }
        if ((st.status() != State.Status.RUNNING && st.status() != State.Status.PAUSED) || st.pid() == null) {
            return false;
        }
        int pidfd;
        try {
            pidfd = sys.pidfdOpen(st.pid());
        } catch (GantryException e) {
            return false;
        }
        Path dir = store.dir(id);
        JsonFileLog log = new JsonFileLog(logPath(id), r.hostConfig().logConfig());
        OutputPump.Target target = log::write;
        List<OutputPump> pumps = new ArrayList<>();
        if (!r.config().tty()) {
            pumps.add(OutputPump.start(sys, Fifos.openReader(sys, dir.resolve("stdout.fifo")), LogStream.STDOUT, target,
                    warn, "gantry-out-" + id.substring(0, 12)));
            pumps.add(OutputPump.start(sys, Fifos.openReader(sys, dir.resolve("stderr.fifo")), LogStream.STDERR, target,
                    warn, "gantry-err-" + id.substring(0, 12)));
        }
        LiveContainer l = new LiveContainer(id, st.pid(), pidfd, pumps, log, null);
        live.put(id, l);
        Status status = st.status() == State.Status.PAUSED ? Status.PAUSED : Status.RUNNING;
        store.put(r.withState(new ContainerState(status, st.pid(), 0, "", r.state().startedAt(), null, false)));
        HealthcheckFile.read(dir).ifPresent(h -> health.started(id, h));
        Thread.ofPlatform().daemon().name("gantry-monitor-" + id.substring(0, 12)).start(() -> monitor(l));
        return true;
    }

    /** A container directory without a record: what a crash during create or remove leaves. */
    /**
     * Removes {@code dir} from the container store at once with one rename(2) (atomic within
     * the file system) and deletes it in the background; what a crash leaves in the trash is
     * deleted by the next open. Deletes in place when the rename fails.
     */
    private void discard(String id, Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path moved = trash.resolve(id + "-" + System.nanoTime());
        try {
            Files.move(dir, moved, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            FileTrees.delete(dir);
            return;
        }
        Reaper.delete(moved, warn);
    }

    /** Deletes what a previous engine moved to the trash but did not get to delete. */
    private void emptyTrash() {
        try {
            PrivateDirs.ensure(trash);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(trash)) {
                for (Path p : ds) {
                    Reaper.delete(p, warn);
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "engine trash " + trash + ": " + e.getMessage(), e);
        }
    }

    private void removeOrphan(Path dir) {
        String id = dir.getFileName().toString();
        warn.accept("removing the remains of container " + id + " (no record: a create or remove was interrupted)");
        removeQuietly(id, dir, List.of());
    }

    /** Writable layers (snapshots keyed by a container id) of containers that no longer exist. */
    private void removeOrphanSnapshots() {
        List<String> keys = new ArrayList<>();
        images.snapshots().walk(s -> {
            if (Ids.isFull(s.name()) && !store.exists(s.name())) {
                keys.add(s.name());
            }
        });
        for (String k : keys) {
            images.snapshots().remove(k);
        }
    }

    /**
     * Stops managing containers: monitors and output pumps end, running containers keep
     * running (their output waits in their FIFOs), and the next engine opened on the same root
     * manages them again.
     */
    @Override
    public void close() {
        closed = true;
        for (ScheduledFuture<?> f : pendingRestarts.values()) {
            f.cancel(false);
        }
        restarts.shutdownNow();
        health.stopAll();
        for (LiveContainer l : live.values()) {
            l.detachOutput();
        }
        platform.shutdown();
        net.close();
    }

    // ---------------------------------------------------------------- helpers

    /** The runtime that runs container {@code id}: the one its record names (the default for a record without one). */
    private OciRuntime runtimeOf(String id) {
        return runtimes.get(store.exists(id) ? store.get(id).hostConfig().runtime() : null);
    }

    /** The container's health check, fixed at create; empty when it has none. */
    public Optional<Healthcheck> healthcheck(String ref) {
        return HealthcheckFile.read(store.dir(store.resolve(ref)));
    }

    /** The health of a container with a health check once it has started; empty otherwise. */
    public Optional<Health> health(String ref) {
        return health.health(store.resolve(ref));
    }

    /** The runtimes containers can choose from, and the default. */
    public Runtimes runtimes() {
        return runtimes;
    }

    /** The host pids of a running container's processes ({@code docker top}); empty when it does not run. */
    public List<Integer> pids(String ref) {
        String id = store.resolve(ref);
        if (!live.containsKey(id)) {
            return List.of();
        }
        return onPlatform(() -> runtimeOf(id).ps(id));
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    /** Runs {@code work} on a platform thread when called from a virtual one: the runtime blocks in native calls. */
    private <T> T onPlatform(Supplier<T> work) {
        if (!Thread.currentThread().isVirtual()) {
            return work.get();
        }
        try {
            return platform.submit(work::get).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while waiting for the engine", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new GantryException(ErrorKind.INTERNAL, e.getCause().toString(), e.getCause());
        }
    }

    private static DockerSeccompProfile loadDefaultProfile() {
        try (InputStream in = Engine.class.getResourceAsStream("seccomp-default.json")) {
            if (in == null) {
                throw new GantryException(ErrorKind.INTERNAL, "the engine's jar lacks seccomp-default.json");
            }
            return DockerSeccompProfile.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "reading seccomp-default.json: " + e.getMessage(), e);
        }
    }

    private static <T> Supplier<T> memo(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }
}
