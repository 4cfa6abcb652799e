package dev.gantry.runtime;

import dev.gantry.base.ErrorKind;
import dev.gantry.cgroups.CgroupManager;
import dev.gantry.cgroups.CgroupPaths;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.cgroups.CgroupsPath;
import dev.gantry.cgroups.FreezerState;
import dev.gantry.cgroups.OomWatch;
import dev.gantry.base.FileTrees;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.Hook;
import dev.gantry.oci.runtime.LinuxIdMapping;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.oci.runtime.JsonTree;
import dev.gantry.oci.runtime.OciSpecs;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.Spec;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.runtime.helper.HelperChannel;
import dev.gantry.runtime.plan.ExecPlanner;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.runtime.plan.InitPlanner;
import dev.gantry.runtime.plan.Plan;
import dev.gantry.runtime.plan.SeccompFilter;
import dev.gantry.sys.ExitStatus;
import dev.gantry.sys.SpawnRequest;
import dev.gantry.sys.Syscalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Gantry OCI runtime as a library: the operations of the runtime spec (runtime.md) plus
 * runc's exec, list, ps, pause/resume, update and events, over a state directory. Containers
 * outlive the process that created them; every call re-reads their state from disk, /proc and
 * the cgroup freezer.
 *
 * <p>Blocking operations (create, start, exec, waiting) run on the calling thread and must
 * not be called from a virtual thread: they block in native calls.
 */
public final class ContainerRuntime {
    private static final long CREATE_TIMEOUT_NANOS = 60_000_000_000L;
    private static final int SIGKILL = 9;
    private static final Duration CGROUP_TIMEOUT = Duration.ofSeconds(5);
    /** How often events checks that the container still lives, and how long one OOM wait lasts. */
    private static final long EVENTS_LIVENESS_NANOS = 100_000_000L;
    private static final Duration OOM_WAIT = Duration.ofMillis(200);

    private final Syscalls sys;
    private final StateStore store;
    private final Supplier<HelperBinary> helper;
    private final Supplier<HostFacts> host;
    private final Supplier<Cgroups> cgroups;
    private final Consumer<String> warn;
    private final ProcInfo proc = new ProcInfo(Path.of("/proc"));
    private final HookRunner hooks;
    private final SeccompFilters seccompFilters = new SeccompFilters();

    /**
     * @param sys    the kernel
     * @param root   the state directory (runc's --root)
     * @param helper the helper executable, loaded on first use
     * @param host    facts about the host, read on first use
     * @param cgroups the host's cgroup hierarchies, read on first use
     * @param warn    where non-fatal problems are reported (unknown capability names, failing poststart hooks)
     */
    public ContainerRuntime(Syscalls sys, Path root, Supplier<HelperBinary> helper, Supplier<HostFacts> host,
            Supplier<Cgroups> cgroups, Consumer<String> warn) {
        this(sys, root, helper, host, cgroups, warn, FileTrees::delete);
    }

    /**
     * As above; {@code discard} deletes a deleted container's state directory, renamed aside
     * (a long-running engine deletes it later on a thread of its own, so that delete need not wait).
     */
    public ContainerRuntime(Syscalls sys, Path root, Supplier<HelperBinary> helper, Supplier<HostFacts> host,
            Supplier<Cgroups> cgroups, Consumer<String> warn, Consumer<Path> discard) {
        this.sys = sys;
        this.store = new StateStore(root, this::frozen, discard);
        this.helper = helper;
        this.host = host;
        this.cgroups = cgroups;
        this.warn = warn;
        this.hooks = new HookRunner(sys);
    }

    public StateStore store() {
        return store;
    }

    /**
     * The helper binary as a file, for use as a container's PID 1 (`docker run --init`): bind
     * it read-only into the container (Docker uses /dev/init) and prefix the command with
     * {@code [that path, "--"]}. It forwards signals to the command, reaps orphans, and exits
     * with the command's status. A file rather than the sealed memfd the runtime executes:
     * mount(2) cannot bind a memfd, which lives on no mount of ours. Mode 0555 and bound
     * read-only, and the kernel refuses writes to it while it runs (ETXTBSY).
     */
    public Path initBinary() {
        Path file = store.root().resolve("gantry-init");
        try {
            byte[] image = dev.gantry.nativehelper.HelperResource.bytes();
            if (Files.isRegularFile(file) && Files.size(file) == image.length) {
                return file;
            }
            Files.createDirectories(store.root());
            Path tmp = Files.createTempFile(store.root(), ".gantry-init", ".tmp");
            Files.write(tmp, image);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** A created container: its id and init pid. */
    public record Created(String id, int pid) {}

    /**
     * Creates the container from the bundle: its init is left blocked before the user's
     * process until {@link #start}. On any failure nothing is left: no state directory, no
     * process (mounts live in the container's own mount namespace and go with it).
     */
    public Created create(String id, Path bundle, CreateOptions opts) {
        StateStore.checkId(id);
        Path absBundle = bundle.toAbsolutePath().normalize();
        Path configFile = absBundle.resolve("config.json");
        Spec spec = OciSpecs.read(configFile);
        Path rootfs = absBundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) {
            throw GantryException.notFound("config.json: root.path: " + rootfs + " does not exist or is not a directory");
        }
        if (spec.process() != null && spec.process().terminal() && opts.console() == null) {
            throw GantryException.invalid("process.terminal is true but no console socket was given (--console-socket)");
        }
        Optional<SeccompFilter> seccomp = compileSeccomp(spec);
        CgroupsPath cgroupsPath = CgroupsPath.of(spec.linuxOrEmpty().cgroupsPath(), id);
        store.create(id);
        ContainerRecord rec = new ContainerRecord(id, absBundle.toString(), rootfs.toString(), 0, 0,
                Instant.now().toString(), System.getProperty("user.name"), true, cgroupsPath.relative(),
                configTree(configFile));
        Launch launch = null;
        CgroupManager cgroup = null;
        try {
            store.save(rec);
            Path fifo = store.fifo(id);
            sys.mkfifo(fifo.toString(), 0622);
            Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString("rw--w--w-"));
            cgroup = cgroups.get().manager(cgroupsPath);
            cgroup.createAndApply(DeviceRules.withDefaults(spec.linuxOrEmpty().resources()));
            CgroupPaths paths = cgroup.paths();
            Plan plan = new InitPlanner(host.get(), warn).plan(new InitPlanner.Request(spec, absBundle, rootfs,
                    opts.noPivot(), seccomp, paths.unified().orElse(null), cgroupDirs(paths)));
            // The init gets the fifo as a descriptor: the state directory stays closed to it (and to
            // every other user), which a user-namespaced init could otherwise not traverse.
            int fifoFd = sys.open(fifo.toString(), Syscalls.O_PATH | Syscalls.O_CLOEXEC, 0);
            try {
                Map<Integer, Integer> fds = new HashMap<>(opts.stdio());
                fds.put(InitPlanner.EXEC_FIFO_FD, fifoFd);
                launch = launch(plan, fds);
            } finally {
                sys.close(fifoFd);
            }
            ContainerRecord running = drive(launch, rec, spec, opts.console(), cgroup, true);
            store.save(running);
            if (opts.pidFile() != null) {
                writePidFile(opts.pidFile(), running.pid());
            }
            return new Created(id, running.pid());
        } catch (RuntimeException | IOException e) {
            if (launch != null) {
                launch.abort();
            }
            Optional<GantryException> oom = cgroup == null ? Optional.empty() : oomKilledEarly(cgroup, spec);
            if (cgroup != null) {
                cgroup.destroy(CGROUP_TIMEOUT);
            }
            store.remove(id);
            if (oom.isPresent()) {
                oom.get().addSuppressed(e);
                throw oom.get();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        } finally {
            if (launch != null) {
                launch.close();
            }
        }
    }

    /** The container's directory for each mounted hierarchy, for the planner's "cgroup" mounts. */
    private Map<Path, Path> cgroupDirs(CgroupPaths paths) {
        Map<Path, Path> dirs = new HashMap<>();
        for (HostFacts.CgroupHierarchy h : host.get().cgroupHierarchies()) {
            for (Path d : paths.directories()) {
                if (d.startsWith(h.mountPoint())) {
                    dirs.put(h.mountPoint(), d);
                }
            }
        }
        return dirs;
    }

    private CgroupManager cgroupOf(ContainerRecord rec) {
        return cgroups.get().manager(new CgroupsPath(rec.cgroupsPath()));
    }

    /** The config as a JSON tree, for the record: read again rather than re-serialized from the Spec. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> configTree(Path configFile) {
        try {
            return (Map<String, Object>) JsonTree.parse(Files.readAllBytes(configFile), configFile.getFileName().toString());
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, configFile + ": cannot read: " + e.getMessage(), e);
        }
    }

    private Optional<SeccompFilter> compileSeccomp(Spec spec) {
        if (spec.linux() == null || spec.linux().seccomp() == null) {
            return Optional.empty();
        }
        return Optional.of(seccompFilters.filterFor(spec.linux().seccomp()));
    }

    /** A running helper (and then its child): the channel, pids and pidfds to wait on. */
    private final class Launch implements AutoCloseable {
        final HelperChannel channel;
        final int helperPidfd;
        int childPid = -1;
        int childPidfd = -1;

        Launch(HelperChannel channel, int helperPidfd) {
            this.channel = channel;
            this.helperPidfd = helperPidfd;
        }

        /** Kills and reaps whatever was started. */
        void abort() {
            if (childPidfd >= 0) {
                try {
                    sys.pidfdSendSignal(childPidfd, SIGKILL);
                } catch (GantryException ignored) {
                    // already gone
                }
                sys.waitPidfd(childPidfd);
                sys.close(childPidfd);
                childPidfd = -1;
            }
        }

        @Override
        public void close() {
            channel.close();
            // The helper exits right after reporting the child's pid (or after an error):
            // reap it so that no zombie is left in a long-running engine.
            try {
                sys.pidfdSendSignal(helperPidfd, SIGKILL);
            } catch (GantryException ignored) {
                // it has exited already, as it should have
            }
            sys.waitPidfd(helperPidfd);
            sys.close(helperPidfd);
            if (childPidfd >= 0) {
                sys.close(childPidfd);
            }
        }
    }

    private Launch launch(Plan plan, Map<Integer, Integer> stdio) {
        int[] pair = sys.socketPair();
        int helperPid;
        try {
            Map<Integer, Integer> fds = new HashMap<>(stdio);
            fds.put(3, pair[1]);
            String exe = helper.get().execPath();
            helperPid = sys.spawn(new SpawnRequest(exe, List.of("gantry-init"), List.of(), fds));
        } catch (RuntimeException e) {
            sys.close(pair[0]);
            sys.close(pair[1]);
            throw e;
        }
        sys.close(pair[1]);
        Launch l = new Launch(new HelperChannel(sys, pair[0]), sys.pidfdOpen(helperPid));
        l.channel.send(HelperChannel.PLAN, plan.encode());
        return l;
    }

    /**
     * Answers the helper until the plan reaches READY (create) or until the process has
     * exec'd (exec: the channel closes on a successful execve). Returns the record updated
     * with the new process's pid.
     */
    private ContainerRecord drive(Launch l, ContainerRecord rec, Spec spec, Console console, CgroupManager cgroup,
            boolean init) {
        long deadline = System.nanoTime() + CREATE_TIMEOUT_NANOS;
        ContainerRecord cur = rec;
        while (true) {
            HelperChannel.Frame f = l.channel.receive(deadline);
            if (f == null) {
                if (!init && l.childPid > 0) {
                    return cur.withInit(l.childPid, proc.stat(l.childPid).map(ProcInfo.Stat::startTime).orElse(0L), false);
                }
                throw new GantryException(ErrorKind.INTERNAL, "container init exited before it was ready");
            }
            switch (f.type()) {
                case HelperChannel.PID -> {
                    int pid = java.nio.ByteBuffer.wrap(f.payload()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                    l.childPid = pid;
                    l.childPidfd = sys.pidfdOpen(pid);
                    long start = proc.stat(pid).map(ProcInfo.Stat::startTime).orElse(0L);
                    // Membership before GO: the process runs no container code until then.
                    cgroup.addProcess(pid);
                    if (init) {
                        setUpInit(pid, spec);
                    }
                    cur = cur.withInit(pid, start, true);
                    if (init) {
                        store.save(cur);
                    }
                    l.channel.send(HelperChannel.GO, stateJson(cur, State.Status.CREATING));
                }
                case HelperChannel.SYNC -> {
                    byte[] state = stateJson(cur, State.Status.CREATING);
                    hooks.run(spec.hooksOrEmpty().prestartOrEmpty(), "prestart", state);
                    hooks.run(spec.hooksOrEmpty().createRuntimeOrEmpty(), "createRuntime", state);
                    l.channel.send(HelperChannel.RESUME, new byte[0]);
                }
                case HelperChannel.PTY -> deliverConsole(console, f.fd());
                case HelperChannel.READY -> {
                    return cur.withInit(cur.pid(), cur.pidStartTime(), false);
                }
                case HelperChannel.ERROR -> throw initError(f.text());
                default -> throw new GantryException(ErrorKind.INTERNAL, "container init sent unknown frame " + f.type());
            }
        }
    }

    private static GantryException initError(String text) {
        ErrorKind kind = text.contains("not found") || text.contains("No such file") ? ErrorKind.NOT_FOUND
                : text.contains("not permitted") || text.contains("Permission denied") ? ErrorKind.PERMISSION_DENIED
                : text.contains("timeout") ? ErrorKind.TIMEOUT
                : ErrorKind.INVALID_ARGUMENT;
        return new GantryException(kind, text);
    }

    /** Ids maps and the OOM score, written from outside while the init waits for GO. */
    private void setUpInit(int pid, Spec spec) {
        var linux = spec.linuxOrEmpty();
        if (linux.namespace("user").map(ns -> ns.path() == null).orElse(false)) {
            // user_namespaces(7): gid_map before uid_map is not required for a privileged
            // writer, but each map is written exactly once, in one write.
            writeProc(pid, "gid_map", idMap(linux.gidMappingsOrEmpty()), "linux.gidMappings");
            writeProc(pid, "uid_map", idMap(linux.uidMappingsOrEmpty()), "linux.uidMappings");
        }
        Process p = spec.process();
        if (p != null && p.oomScoreAdj() != null) {
            writeProc(pid, "oom_score_adj", p.oomScoreAdj().toString(), "process.oomScoreAdj");
        }
    }

    private static String idMap(List<LinuxIdMapping> maps) {
        StringBuilder b = new StringBuilder();
        for (LinuxIdMapping m : maps) {
            b.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return b.toString();
    }

    private static void writeProc(int pid, String file, String content, String field) {
        try {
            Files.writeString(Path.of("/proc/" + pid + "/" + file), content);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, field + ": the kernel refused \""
                    + content.strip().replace('\n', ';') + "\" in /proc/" + pid + "/" + file + ": " + e.getMessage());
        }
    }

    private void deliverConsole(Console console, int master) {
        if (master < 0) {
            throw new GantryException(ErrorKind.INTERNAL, "container init sent no terminal descriptor");
        }
        switch (console) {
            case Console.Receiver r -> r.onMaster().accept(master);
            case Console.SocketPath s -> {
                try {
                    int sock = sys.connectUnix(s.path().toString());
                    try {
                        sys.sendWithFd(sock, "/dev/ptmx".getBytes(StandardCharsets.UTF_8), master);
                    } finally {
                        sys.close(sock);
                    }
                } finally {
                    sys.close(master);
                }
            }
            case null -> {
                sys.close(master);
                throw GantryException.invalid("process.terminal is true but no console was given");
            }
        }
    }

    private byte[] stateJson(ContainerRecord rec, State.Status status) {
        State s = new State(rec.ociVersion(), rec.id(), status, rec.pid(), rec.bundle(), rec.annotations());
        return JsonTree.write(s);
    }

    private static void writePidFile(Path pidFile, int pid) throws IOException {
        Path tmp = pidFile.resolveSibling("." + pidFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(pid));
        Files.move(tmp, pidFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Lets a created container's init exec the user's process, then runs poststart hooks. */
    public void start(String id) {
        ContainerRecord rec = store.load(id);
        State.Status status = store.status(rec);
        if (status != State.Status.CREATED) {
            throw GantryException.conflict("cannot start container \"" + id + "\": it is " + status.wire() + ", not created");
        }
        Path fifo = store.fifo(id);
        int fd = sys.open(fifo.toString(), Syscalls.O_RDONLY | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC, 0);
        try {
            // The init opens the fifo for writing, which completes now that a reader exists,
            // and writes one byte. If it died instead, no byte ever comes: check it is alive.
            while (sys.poll(fd, Syscalls.POLLIN, 100) == 0) {
                if (!proc.alive(rec.pid(), rec.pidStartTime())) {
                    throw GantryException.conflict("cannot start container \"" + id + "\": its init has exited");
                }
            }
            byte[] b = new byte[1];
            if (sys.read(fd, b, 0, 1) != 1) {
                throw GantryException.conflict("cannot start container \"" + id + "\": its init has exited");
            }
        } finally {
            sys.close(fd);
        }
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + fifo, e);
        }
        byte[] state = stateJson(rec, State.Status.RUNNING);
        for (var h : rec.hasHooks("poststart") ? rec.spec().hooksOrEmpty().poststartOrEmpty() : List.<Hook>of()) {
            try {
                hooks.run(List.of(h), "poststart", state);
            } catch (GantryException e) {
                // runtime.md: a failing poststart hook is a warning; the lifecycle continues.
                warn.accept(e.getMessage());
            }
        }
    }

    public State state(String id) {
        return store.state(store.load(id));
    }

    public List<State> list() {
        List<State> out = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                out.add(state(id));
            } catch (GantryException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return out;
    }

    /** Sends a signal to the init, or with {@code all} to every process of the container. */
    public void kill(String id, int signal, boolean all) {
        ContainerRecord rec = store.load(id);
        State.Status status = store.status(rec);
        if (status == State.Status.STOPPED || status == State.Status.CREATING) {
            throw GantryException.conflict("cannot kill container \"" + id + "\": it is " + status.wire());
        }
        if (all) {
            for (int pid : processes(rec)) {
                try {
                    sys.kill(pid, signal);
                } catch (GantryException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                }
            }
            return;
        }
        signalInit(rec, signal);
    }

    private void signalInit(ContainerRecord rec, int signal) {
        int pidfd = sys.pidfdOpen(rec.pid());
        try {
            // Re-check after opening the pidfd: from here on the pid cannot be reused under us.
            if (!proc.alive(rec.pid(), rec.pidStartTime())) {
                throw GantryException.conflict("cannot kill container \"" + rec.id() + "\": it is stopped");
            }
            sys.pidfdSendSignal(pidfd, signal);
        } finally {
            sys.close(pidfd);
        }
    }

    /** The pids of the container's processes, from its cgroup. */
    public List<Integer> ps(String id) {
        ContainerRecord rec = store.load(id);
        if (store.status(rec) == State.Status.STOPPED) {
            return List.of();
        }
        return processes(rec);
    }

    /** The container's processes: every member of its cgroup. */
    private List<Integer> processes(ContainerRecord rec) {
        CgroupManager cg = cgroupOf(rec);
        if (!cg.exists()) {
            return List.of();
        }
        return cg.pids().stream().map(Long::intValue).sorted().toList();
    }

    /**
     * Deletes the container's state and runs its poststop hooks. A running container is
     * refused unless {@code force}, which kills it first; a created one is killed.
     */
    public void delete(String id, boolean force) {
        ContainerRecord rec = store.load(id);
        State.Status status = store.status(rec);
        if ((status == State.Status.RUNNING || status == State.Status.PAUSED) && !force) {
            throw GantryException.conflict("cannot delete container \"" + id + "\": it is " + status.wire()
                    + " (stop it first, or use --force)");
        }
        if (status == State.Status.PAUSED) {
            killFrozen(rec);
        }
        if (status != State.Status.STOPPED && rec.pid() > 0) {
            killAndWait(rec);
        }
        reapIfOurs(rec);
        byte[] state = stateJson(rec, State.Status.STOPPED);
        CgroupManager cg = cgroupOf(rec);
        if (cg.exists()) {
            // Processes the init left behind (its pid namespace died with it unless it was shared).
            if (!cg.pids().isEmpty()) {
                cg.killAll(CGROUP_TIMEOUT);
            }
            cg.destroy(CGROUP_TIMEOUT);
        }
        store.remove(id);
        for (var h : rec.hasHooks("poststop") ? rec.spec().hooksOrEmpty().poststopOrEmpty() : List.<Hook>of()) {
            try {
                hooks.run(List.of(h), "poststop", state);
            } catch (GantryException e) {
                // runtime.md: a failing poststop hook is a warning; deletion continues.
                warn.accept(e.getMessage());
            }
        }
    }

    /**
     * When this process created the container, the dead init is our child: reap it, or it
     * stays a zombie for as long as we run (an embedding engine runs for a long time).
     */
    private void reapIfOurs(ContainerRecord rec) {
        if (rec.pid() <= 0) {
            return;
        }
        var st = proc.stat(rec.pid());
        if (st.isEmpty() || st.get().startTime() != rec.pidStartTime() || st.get().state() != 'Z') {
            return;
        }
        int pidfd;
        try {
            pidfd = sys.pidfdOpen(rec.pid());
        } catch (GantryException e) {
            return;
        }
        try {
            sys.waitPidfd(pidfd);
        } catch (dev.gantry.sys.SysException e) {
            if (e.errno() != dev.gantry.sys.Errno.ECHILD) {
                throw e;
            }
        } finally {
            sys.close(pidfd);
        }
    }

    private void killAndWait(ContainerRecord rec) {
        int pidfd;
        try {
            pidfd = sys.pidfdOpen(rec.pid());
        } catch (GantryException e) {
            return; // gone already
        }
        try {
            if (!proc.alive(rec.pid(), rec.pidStartTime())) {
                return;
            }
            for (int pid : processes(rec)) {
                if (pid != rec.pid()) {
                    try {
                        sys.kill(pid, SIGKILL);
                    } catch (GantryException ignored) {
                        // exited meanwhile
                    }
                }
            }
            sys.pidfdSendSignal(pidfd, SIGKILL);
            // A pidfd polls readable once the process has exited (pidfd_open(2)), whether or
            // not its parent has reaped it yet.
            if (sys.poll(pidfd, Syscalls.POLLIN, 10_000) == 0) {
                throw new GantryException(ErrorKind.TIMEOUT, "container \"" + rec.id() + "\" did not die after SIGKILL");
            }
        } finally {
            sys.close(pidfd);
        }
    }

    /**
     * Waits for the init of a container created by this process (it is our child) and
     * returns how it ended.
     */
    public ExitStatus waitForInit(Created c) {
        int pidfd = sys.pidfdOpen(c.pid());
        try {
            return sys.waitPidfd(pidfd);
        } finally {
            sys.close(pidfd);
        }
    }

    /** How an exec'd process was started. */
    public record ExecOptions(Console console, Path pidFile, Map<Integer, Integer> stdio) {
        public ExecOptions {
            stdio = Map.copyOf(stdio);
        }
    }

    /**
     * Starts another process in a running (or created) container: it joins every namespace
     * of the container, the user namespace too, and gets the process's own credentials,
     * capabilities, rlimits and no_new_privs, and the container's seccomp filter. Returns
     * its host pid; it is a child of this process.
     */
    public int exec(String id, Process process, ExecOptions opts) {
        ContainerRecord rec = store.load(id);
        State.Status status = store.status(rec);
        if (status != State.Status.RUNNING && status != State.Status.CREATED) {
            throw GantryException.conflict("cannot exec in container \"" + id + "\": it is " + status.wire());
        }
        if (process.argsOrEmpty().isEmpty()) {
            throw GantryException.invalid("process.args: must not be empty");
        }
        if (process.cwd() == null || !process.cwd().startsWith("/")) {
            throw GantryException.invalid("process.cwd: must be an absolute path");
        }
        if (process.terminal() && opts.console() == null) {
            throw GantryException.invalid("process.terminal is true but no console socket was given (--console-socket)");
        }
        Spec spec = rec.spec();
        Plan plan = new ExecPlanner(host.get(), warn).plan(spec, process, compileSeccomp(spec));
        // The namespaces are joined through a pidfd of the init, checked to be the init after it
        // was opened: a pid that was reused meanwhile cannot send the process elsewhere.
        int initPidfd = sys.pidfdOpen(rec.pid());
        Launch l;
        try {
            if (!proc.alive(rec.pid(), rec.pidStartTime())) {
                throw GantryException.conflict("cannot exec in container \"" + id + "\": it has stopped");
            }
            Map<Integer, Integer> fds = new HashMap<>(opts.stdio());
            fds.put(ExecPlanner.INIT_PIDFD, initPidfd);
            l = launch(plan, fds);
        } finally {
            sys.close(initPidfd);
        }
        try {
            ContainerRecord started = drive(l, rec, spec, opts.console(), cgroupOf(rec), false);
            if (opts.pidFile() != null) {
                writePidFile(opts.pidFile(), started.pid());
            }
            return started.pid();
        } catch (RuntimeException | IOException e) {
            l.abort();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        } finally {
            l.close();
        }
    }

    /** Waits for a process this runtime exec'd (our child). */
    public ExitStatus waitForChild(int pid) {
        int pidfd = sys.pidfdOpen(pid);
        try {
            return sys.waitPidfd(pidfd);
        } finally {
            sys.close(pidfd);
        }
    }

    /** Whether the container's cgroup is frozen: what makes a live container "paused". */
    private boolean frozen(ContainerRecord rec) {
        try {
            CgroupManager cg = cgroupOf(rec);
            return cg.exists() && cg.freezerState() == FreezerState.FROZEN;
        } catch (GantryException e) {
            // No freezer or a cgroup removed meanwhile: nothing is frozen.
            return false;
        }
    }

    /**
     * SIGKILL to every process of a paused container, then thaw: a frozen task acts on a
     * signal only once thawed, and since the signal is already pending it dies before running
     * any more of its own code.
     */
    private void killFrozen(ContainerRecord rec) {
        for (int pid : processes(rec)) {
            try {
                sys.kill(pid, SIGKILL);
            } catch (GantryException ignored) {
                // exited meanwhile
            }
        }
        cgroupOf(rec).thaw(CGROUP_TIMEOUT);
    }

    /**
     * Freezes every process of a running or created container (runc's pause): the cgroup
     * freezer stops them where they are, and the status reads "paused" until {@link #resume}.
     */
    public void pause(String id) {
        ContainerRecord rec = store.load(id);
        State.Status status = store.status(rec);
        if (status != State.Status.RUNNING && status != State.Status.CREATED) {
            throw GantryException.conflict("cannot pause container \"" + id + "\": it is " + status.wire()
                    + ", not running or created");
        }
        cgroupOf(rec).freeze(CGROUP_TIMEOUT);
    }

    /** Thaws a paused container's processes (runc's resume). */
    public void resume(String id) {
        ContainerRecord rec = store.load(id);
        State.Status status = store.status(rec);
        if (status != State.Status.PAUSED) {
            throw GantryException.conflict("cannot resume container \"" + id + "\": it is " + status.wire()
                    + ", not paused");
        }
        cgroupOf(rec).thaw(CGROUP_TIMEOUT);
    }

    /**
     * Changes the resource limits of a live container (runc's update). Fields absent from
     * {@code request} keep their values; see {@link ResourceUpdate} for lists and for the swap
     * limit that follows a new memory limit. The new values are written to the cgroup and
     * then stored in the container's spec, so later reads and updates start from them.
     *
     * @return the container's resources after the update
     * @throws GantryException CONFLICT when the container is not live; the cgroup's
     *         INVALID_ARGUMENT or UNAVAILABLE, naming the field, when the host refuses a value
     */
    public LinuxResources update(String id, LinuxResources request) {
        ContainerRecord rec = store.load(id);
        State.Status status = store.status(rec);
        if (status == State.Status.STOPPED || status == State.Status.CREATING) {
            throw GantryException.conflict("cannot update container \"" + id + "\": it is " + status.wire());
        }
        Spec spec = rec.spec();
        LinuxResources current = spec.linuxOrEmpty().resources();
        LinuxResources change = ResourceUpdate.effective(current, request);
        cgroupOf(rec).update(DeviceRules.withDefaults(change));
        LinuxResources merged = ResourceUpdate.merge(current, change);
        store.save(rec.withSpec(spec.withLinux(ResourceUpdate.withResources(spec.linuxOrEmpty(), merged))));
        return merged;
    }

    /** The counters of a live container's cgroup (memory, cpu, pids, block I/O). */
    public CgroupStats stats(String id) {
        ContainerRecord rec = store.load(id);
        State.Status status = store.status(rec);
        if (status == State.Status.STOPPED || status == State.Status.CREATING) {
            throw GantryException.conflict("cannot read stats of container \"" + id + "\": it is " + status.wire());
        }
        return cgroupOf(rec).stats();
    }

    /**
     * Reports a live container's events to {@code sink} until the container stops (runc's
     * events): a {@link ContainerEvent.Stats} after every {@code interval}, and a
     * {@link ContainerEvent.Oom} for each OOM kill in its cgroup as it happens. Blocks the
     * calling thread; the OOM notification is awaited on a platform thread of its own, as it
     * blocks in the kernel. An OOM that kills the init itself is still reported before this
     * returns. A host whose cgroups cannot notify OOMs gets stats only (and a warning).
     */
    public void events(String id, Duration interval, Consumer<ContainerEvent> sink) {
        if (interval.isNegative() || interval.isZero()) {
            throw GantryException.invalid("--interval: must be positive, not " + interval);
        }
        ContainerRecord rec = store.load(id);
        State.Status status = store.status(rec);
        if (status == State.Status.STOPPED || status == State.Status.CREATING) {
            throw GantryException.conflict("cannot watch events of container \"" + id + "\": it is " + status.wire());
        }
        CgroupManager cg = cgroupOf(rec);
        BlockingQueue<ContainerEvent> ooms = new LinkedBlockingQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        OomWatch watch = null;
        Thread watcher = null;
        try {
            watch = cg.watchOom();
        } catch (GantryException e) {
            warn.accept("events of " + id + ": no OOM notifications: " + e.getMessage());
        }
        try {
            if (watch != null) {
                OomWatch w = watch;
                watcher = Thread.ofPlatform().daemon().name("gantry-oom-" + id).start(() -> watchOom(id, w, done, ooms));
            }
            long nextStats = System.nanoTime() + interval.toNanos();
            while (store.exists(id) && proc.alive(rec.pid(), rec.pidStartTime())) {
                long wait = Math.min(nextStats - System.nanoTime(), EVENTS_LIVENESS_NANOS);
                ContainerEvent oom = wait > 0 ? ooms.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (oom != null) {
                    sink.accept(oom);
                } else if (System.nanoTime() >= nextStats) {
                    sink.accept(new ContainerEvent.Stats(id, cg.stats()));
                    nextStats += interval.toNanos();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while watching events of " + id, e);
        } finally {
            // The watcher's current wait ends within OOM_WAIT, having queued what it read.
            done.set(true);
            if (watcher != null) {
                joinUninterruptibly(watcher);
            }
            if (watch != null) {
                watch.close();
            }
        }
        for (ContainerEvent oom = ooms.poll(); oom != null; oom = ooms.poll()) {
            sink.accept(oom);
        }
    }

    /** Joins {@code t} even when interrupted (it ends soon: see OOM_WAIT), keeping the interrupt. */
    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The OOM watcher's loop: short waits, so that it notices {@code done} soon after it is set. */
    private static void watchOom(String id, OomWatch watch, AtomicBoolean done, BlockingQueue<ContainerEvent> out) {
        while (!done.get()) {
            long n;
            try {
                n = watch.await(OOM_WAIT);
            } catch (GantryException e) {
                return; // the cgroup was removed: the container is gone
            }
            for (long i = 0; i < n; i++) {
                out.add(new ContainerEvent.Oom(id));
            }
        }
    }

    /**
     * Why a create failed when the OOM killer acted in the new cgroup: the memory limit is
     * too low for the init to get ready, which "init exited" alone would not say.
     */
    private static Optional<GantryException> oomKilledEarly(CgroupManager cgroup, Spec spec) {
        long kills;
        try {
            kills = cgroup.stats().memory().map(CgroupStats.Memory::oomKills).orElse(0L);
        } catch (GantryException e) {
            return Optional.empty();
        }
        if (kills == 0) {
            return Optional.empty();
        }
        var memory = spec.linuxOrEmpty().resources() == null ? null : spec.linuxOrEmpty().resources().memory();
        String limit = memory == null || memory.limit() == null ? "" : " " + memory.limit() + " bytes";
        return Optional.of(GantryException.invalid("linux.resources.memory.limit" + limit
                + ": the container's init was killed by the OOM killer before it was ready (the limit is too low)"));
    }
}
