package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.internal.ContainerFs;
import dev.gantry.image.LocalImage;
import dev.gantry.testkit.RequiresRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on the real kernel: busybox containers through create, start, wait, logs, remove and the rest. */
@RequiresRoot
class EngineRootTest {
    @TempDir
    static Path tmp;
    static EngineFixture fx;
    static Engine engine;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new EngineFixture(tmp);
        engine = fx.open();
    }

    @AfterEach
    void removeContainers() {
        for (Container c : engine.list(true)) {
            engine.remove(c.id(), true, true);
        }
        for (Volume v : engine.volumes()) {
            engine.removeVolume(v.name());
        }
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    private static String run(Config config, HostConfig host) {
        String id = engine.create(new CreateRequest(null, config, host)).id();
        var exit = engine.wait(id, WaitCondition.NEXT_EXIT);
        engine.start(id);
        try {
            exit.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("container " + id + " did not exit", e);
        }
        return id;
    }

    private static String logs(String id, LogOptions opts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.logs(id, opts, e -> out.writeBytes(e.line()));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Config sh(String script) {
        return Config.of(EngineFixture.IMAGE).withCmd("sh", "-c", script);
    }

    @Test
    void initIsPidOneAndForwardsTheStopSignal() throws Exception {
        HostConfig withInit = HostConfig.builder().init(true).build();
        String ps = run(sh("ps -o pid,comm"), withInit);
        assertThat(logs(ps, new LogOptions(true, false, false, -1, null, null))).containsPattern("(?m)^\\s*1\\s+init$");
        // sleep as PID 1 would ignore SIGTERM (no handler, and the kernel drops it for a namespace's init).
        String id = engine.create(new CreateRequest(null, Config.of(EngineFixture.IMAGE).withCmd("sleep", "100"), withInit)).id();
        engine.start(id);
        assertThat(engine.stop(id, null, Duration.ofSeconds(30))).isTrue();
        assertThat(engine.inspect(id).state().exitCode()).isEqualTo(143);
    }

    @Test
    void statsSampleTheCgroupOfARunningContainerOnly() throws Exception {
        String id = engine.create(new CreateRequest("stats", sh("sleep 100 & sleep 100 & wait"),
                HostConfig.builder().memory(64L << 20).build())).id();
        engine.start(id);
        Stats s = engine.stats("stats");
        assertThat(s.id()).isEqualTo(id);
        assertThat(s.name()).isEqualTo("stats");
        assertThat(s.cgroup().pids()).hasValueSatisfying(p -> assertThat(p.current()).isEqualTo(3));
        assertThat(s.cgroup().memory()).hasValueSatisfying(m -> {
            assertThat(m.usage()).isPositive();
            assertThat(m.limit()).isEqualTo(64L << 20);
        });
        assertThat(s.cgroup().cpu()).hasValueSatisfying(c -> assertThat(c.usageNanos()).isPositive());
        assertThat(s.systemCpuNanos()).isPositive();
        assertThat(s.onlineCpus()).isPositive();
        engine.kill(id, "KILL");
        engine.wait(id, WaitCondition.NOT_RUNNING).get(30, TimeUnit.SECONDS);
        Stats stopped = engine.stats(id);
        assertThat(stopped.cgroup().pids()).isEmpty();
        assertThat(stopped.cgroup().memory()).isEmpty();
    }

    @Test
    void renamesDuringStartsAndCreatesDoNotDeadlock() throws Exception {
        // rename took the store's monitor and then the container's lock, while a start holds the
        // container's lock across the runtime's create and reads the store: the two waited on each
        // other for good. Both loops must finish.
        String id = engine.create(new CreateRequest("spinner", sh("true"), null)).id();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3, Thread.ofPlatform().daemon().factory());
        try {
            var starts = pool.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    var exit = engine.wait(id, WaitCondition.NEXT_EXIT);
                    engine.start(id);
                    exit.get(30, TimeUnit.SECONDS);
                }
                return null;
            });
            var renames = pool.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    engine.rename(id, "spinner-" + (i % 2));
                }
                return null;
            });
            var creates = pool.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    engine.create(new CreateRequest(null, sh("true"), null));
                }
                return null;
            });
            starts.get(90, TimeUnit.SECONDS);
            renames.get(90, TimeUnit.SECONDS);
            creates.get(90, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(engine.inspect(id).name()).isEqualTo("spinner-1");
        assertThat(engine.list(true)).hasSize(16);
    }

    @Test
    void aContainersLifeIsPublishedAsEvents() throws Exception {
        try (EventBus.Subscription sub = engine.events().subscribe(null)) {
            String id = run(sh("exit 4"), null);
            engine.rename(id, "evented");
            engine.remove(id, false, false);
            java.util.List<String> actions = new ArrayList<>();
            for (Event e = sub.next(Duration.ofSeconds(2)); e != null; e = sub.next(Duration.ofMillis(200))) {
                if (e.actorId().equals(id)) {
                    actions.add(e.action());
                    if (e.action().equals("die")) {
                        assertThat(e.attributes()).containsEntry("exitCode", "4").containsEntry("image", EngineFixture.IMAGE);
                    }
                }
            }
            assertThat(actions).containsExactly("create", "start", "die", "rename", "destroy");
        }
    }

    @Test
    void updateChangesTheCgroupOfARunningContainerAndItsRecord() throws Exception {
        String id = engine.create(new CreateRequest(null, Config.of(EngineFixture.IMAGE).withCmd("sleep", "100"),
                HostConfig.builder().memory(64L << 20).build())).id();
        engine.start(id);
        engine.update(id, new ResourceChange(128L << 20, null, 500_000_000L, null, null, 50L, null));
        Path cg = Path.of("/sys/fs/cgroup");
        assertThat(Files.readString(cg.resolve("memory/gantry/" + id + "/memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(128L << 20));
        assertThat(Files.readString(cg.resolve("cpu/gantry/" + id + "/cpu.cfs_quota_us")).trim()).isEqualTo("50000");
        assertThat(Files.readString(cg.resolve("pids/gantry/" + id + "/pids.max")).trim()).isEqualTo("50");
        HostConfig h = engine.inspect(id).hostConfig();
        assertThat(h.memory()).isEqualTo(128L << 20);
        assertThat(h.nanoCpus()).isEqualTo(500_000_000L);
        assertThat(h.pidsLimit()).isEqualTo(50L);
        assertThatThrownBy(() -> engine.update(id, new ResourceChange(1024L, null, null, null, null, null, null)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThat(engine.inspect(id).hostConfig().memory()).as("a refused update changes nothing").isEqualTo(128L << 20);
    }

    @Test
    void runToCompletionKeepsLogsAndExitCode() throws Exception {
        String id = run(sh("echo out; echo err >&2; echo more > /dev/stdout; exit 3"), null);
        Container c = engine.inspect(id);
        assertThat(c.state().status()).isEqualTo(Status.EXITED);
        assertThat(c.state().exitCode()).isEqualTo(3);
        assertThat(c.state().finishedAt()).isNotNull();
        assertThat(logs(id, new LogOptions(true, false, false, -1, null, null))).isEqualTo("out\nmore\n");
        assertThat(logs(id, new LogOptions(false, true, false, -1, null, null))).isEqualTo("err\n");
        // stdout and stderr are separate pipes read by separate pumps, so the order of lines
        // across the two streams is not defined: tail within one stream.
        assertThat(logs(id, new LogOptions(true, false, false, 1, null, null))).isEqualTo("more\n");
        assertThat(Files.readString(Path.of(c.logPath()))).contains("{\"log\":\"err\\n\",\"stream\":\"stderr\",\"time\":\"");
        assertThat(ContainerFs.isMounted(Path.of(c.logPath()).resolveSibling("rootfs"))).isFalse();
    }

    @Test
    void followEndsWhenTheContainerStops() throws Exception {
        String id = engine.create(new CreateRequest("follower", sh("for i in 1 2 3; do echo $i; sleep 0.2; done"), null)).id();
        engine.start(id);
        assertThat(logs("follower", new LogOptions(true, true, true, -1, null, null))).isEqualTo("1\n2\n3\n");
    }

    @Test
    void stopUsesTheStopSignalThenTimesOutToSigkill() {
        String trapping = engine.create(new CreateRequest(null,
                sh("trap 'exit 42' USR1; while true; do sleep 0.1; done").withStop("SIGUSR1", null), null)).id();
        engine.start(trapping);
        assertThat(engine.inspect(trapping).state().status()).isEqualTo(Status.RUNNING);
        assertThat(engine.stop(trapping, null, Duration.ofSeconds(10))).isTrue();
        assertThat(engine.inspect(trapping).state().exitCode()).isEqualTo(42);

        String ignoring = engine.create(new CreateRequest(null, sh("trap '' TERM; while true; do sleep 0.1; done"), null)).id();
        engine.start(ignoring);
        long t0 = System.nanoTime();
        engine.stop(ignoring, null, Duration.ofMillis(500));
        assertThat(System.nanoTime() - t0).isGreaterThan(400_000_000L);
        assertThat(engine.inspect(ignoring).state().exitCode()).isEqualTo(137);
        assertThat(engine.stop(ignoring, null, null)).isFalse();
    }

    @Test
    void killAndWaitConditions() throws Exception {
        String id = engine.create(new CreateRequest(null, sh("sleep 30"), null)).id();
        assertThat(engine.wait(id, WaitCondition.NOT_RUNNING).get(1, TimeUnit.SECONDS).exitCode()).isZero();
        engine.start(id);
        var notRunning = engine.wait(id, WaitCondition.NOT_RUNNING);
        var removed = engine.wait(id, WaitCondition.REMOVED);
        assertThat(notRunning).isNotDone();
        engine.kill(id, "KILL");
        assertThat(notRunning.get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(137);
        assertThat(removed).isNotDone();
        assertThatThrownBy(() -> engine.kill(id, null)).isInstanceOf(GantryException.class)
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
        engine.remove(id, false, false);
        assertThat(removed.get(1, TimeUnit.SECONDS).exitCode()).isEqualTo(137);
    }

    @Test
    void onFailureTwoRestartsExactlyTwice() throws Exception {
        String id = engine.create(new CreateRequest(null, sh("echo run; exit 3"),
                HostConfig.builder().restartPolicy(RestartPolicy.onFailure(2)).build())).id();
        engine.start(id);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && !(engine.inspect(id).state().status() == Status.EXITED
                && engine.inspect(id).restartCount() == 2)) {
            Thread.sleep(50);
        }
        Thread.sleep(800);
        Container c = engine.inspect(id);
        assertThat(c.restartCount()).isEqualTo(2);
        assertThat(c.state().status()).isEqualTo(Status.EXITED);
        assertThat(c.state().exitCode()).isEqualTo(3);
        assertThat(logs(id, LogOptions.ALL)).isEqualTo("run\nrun\nrun\n");
    }

    @Test
    void execRunsInTheContainerAndReportsItsExitCode() throws Exception {
        String id = engine.create(new CreateRequest(null, sh("echo hi > /tmp/x; sleep 30"), null)).id();
        engine.start(id);
        String exec = engine.execCreate(id, new ExecRequest(List.of("sh", "-c", "cat /tmp/x; id -u; echo $FOO >&2; exit 7"),
                List.of("FOO=bar"), "user", null, false, false));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = engine.execStart(exec, null, (s, b, o, l) -> (s == LogStream.STDOUT ? out : err).write(b, o, l));
        assertThat(code).isEqualTo(7);
        assertThat(out.toString()).isEqualTo("hi\n1000\n");
        assertThat(err.toString()).isEqualTo("bar\n");
        assertThat(engine.execInspect(exec).exitCode()).isEqualTo(7);
        assertThat(engine.execInspect(exec).running()).isFalse();
    }

    @Test
    void bindMountAndNamedVolumeWithCopyUp() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("bind-src"));
        Files.writeString(host.resolve("in.txt"), "from host\n");
        String id = run(sh("cat /data/in.txt; echo written > /data/out.txt; grep -c ^user: /etc/passwd; echo v > /etc/new"),
                HostConfig.builder().binds(List.of(host + ":/data", "myvol:/etc")).build());
        assertThat(engine.inspect(id).state().exitCode()).isZero();
        assertThat(logs(id, LogOptions.ALL)).isEqualTo("from host\n1\n");
        assertThat(Files.readString(host.resolve("out.txt"))).isEqualTo("written\n");
        Volume v = engine.volume("myvol");
        assertThat(Path.of(v.mountpoint()).resolve("passwd")).exists();
        assertThat(Path.of(v.mountpoint()).resolve("new")).hasContent("v");
        assertThatThrownBy(() -> engine.removeVolume("myvol")).isInstanceOf(GantryException.class);
    }

    @Test
    void anonymousVolumeGoesWithRemoveV() {
        String id2 = run(sh("echo x > /cache/f").withVolumes(Set.of("/cache")), null);
        assertThat(engine.inspect(id2).state().exitCode()).isZero();
        List<Volume> vols = engine.volumes();
        assertThat(vols).hasSize(1).allMatch(Volume::anonymous);
        engine.remove(id2, false, true);
        assertThat(engine.volumes()).isEmpty();
    }

    @Test
    void readonlyRootfs() throws Exception {
        String id = run(sh("touch /x 2>/dev/null && echo writable || echo readonly; echo ok > /tmp2/y && echo tmpfs"),
                HostConfig.builder().readonlyRootfs(true).tmpfs(Map.of("/tmp2", "size=1m")).build());
        assertThat(logs(id, LogOptions.ALL)).isEqualTo("readonly\ntmpfs\n");
    }

    @Test
    void memoryLimitIsAppliedToTheCgroup() throws Exception {
        String id = engine.create(new CreateRequest(null, sh("sleep 30"),
                HostConfig.builder().memory(64L << 20).pidsLimit(50L).build())).id();
        engine.start(id);
        Path mem = Path.of("/sys/fs/cgroup/memory/gantry", id, "memory.limit_in_bytes");
        assertThat(Files.readString(mem).trim()).isEqualTo(Long.toString(64L << 20));
        engine.remove(id, true, false);
        assertThat(mem.getParent()).doesNotExist();
    }

    @Test
    void commitAndDiffLeaveOutTheInitLayer() throws Exception {
        String id = run(sh("echo new > /added.txt; echo changed >> /etc/passwd; rm /bin/vi; echo h >> /etc/hosts"), null);
        List<Change> changes = engine.changes(id);
        assertThat(changes).contains(new Change(Change.Kind.A, "/added.txt"), new Change(Change.Kind.C, "/etc/passwd"),
                new Change(Change.Kind.D, "/bin/vi"), new Change(Change.Kind.C, "/etc"));
        assertThat(changes).extracting(Change::path).doesNotContain("/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
                "/proc", "/sys", "/dev");
        LocalImage img = engine.commit(id, "committed:test", "test", false, c -> c);
        String child = run(Config.of("committed:test").withCmd("sh", "-c", "cat /added.txt; ls /bin/vi 2>&1 | grep -c 'No such'"), null);
        assertThat(logs(child, LogOptions.ALL)).isEqualTo("new\n1\n");
        assertThat(img.config().diffIds()).hasSize(2);
    }

    @Test
    void badInputIsRefusedClearly() {
        assertThatThrownBy(() -> engine.create(new CreateRequest(null, sh("true"),
                HostConfig.builder().networkMode("nosuch-network").build())))
                .hasMessageContaining("network nosuch-network not found");
        assertThatThrownBy(() -> engine.create(new CreateRequest(null, sh("true"),
                HostConfig.builder().ulimits(List.of(new HostConfig.Ulimit("nofile", 1 << 20, 1 << 20))).build())))
                .hasMessageContaining("nofile");
        assertThatThrownBy(() -> engine.inspect("nope")).isInstanceOf(GantryException.class)
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        engine.create(new CreateRequest("taken", sh("true"), null));
        assertThatThrownBy(() -> engine.create(new CreateRequest("taken", sh("true"), null)))
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(engine.list(true)).hasSize(1);
    }

    @Test
    void aNewEngineOverTheSameRootManagesARunningContainer() throws Exception {
        String id = engine.create(new CreateRequest(null, sh("echo before; sleep 1; echo after; sleep 30"), null)).id();
        engine.start(id);
        int pid = engine.inspect(id).state().pid();
        engine.close();
        engine = fx.open();
        Container c = engine.inspect(id);
        assertThat(c.state().status()).isEqualTo(Status.RUNNING);
        assertThat(c.state().pid()).isEqualTo(pid);
        Thread.sleep(1500);
        assertThat(logs(id, LogOptions.ALL)).isEqualTo("before\nafter\n");
        // sh as PID 1 of its pid namespace ignores SIGTERM (it has no handler): SIGKILL after the timeout.
        assertThat(engine.stop(id, null, Duration.ofMillis(500))).isTrue();
        assertThat(engine.inspect(id).state().status()).isEqualTo(Status.EXITED);
        assertThat(engine.inspect(id).state().exitCode()).isEqualTo(137);
    }

    @Test
    void aRecordWriteCutShortByAKillIsPassedOverByTheNextEngine() throws Exception {
        String id = engine.create(new CreateRequest(null, sh("sleep 30"), null)).id();
        engine.start(id);
        Path dir = fx.root.resolve("engine/containers").resolve(id);
        engine.close();
        // What a kill -9 in the middle of the next write leaves: the newest generation cut short.
        List<String> records = records(dir);
        assertThat(records).hasSize(1);
        long generation = Long.parseLong(records.getFirst().split("\\.")[1]);
        byte[] whole = Files.readAllBytes(dir.resolve(records.getFirst()));
        Files.write(dir.resolve("container." + (generation + 1) + ".json"), java.util.Arrays.copyOf(whole, whole.length / 2));
        engine = fx.open();
        assertThat(engine.inspect(id).state().status()).isEqualTo(Status.RUNNING);
        assertThat(records(dir)).hasSize(1);
        engine.remove(id, true, false);
        assertThat(dir).doesNotExist();
    }

    private static List<String> records(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("container\\.[0-9]+\\.json")).toList();
        }
    }

    @Test
    void removeLeavesNoMountCgroupOrState() throws Exception {
        String id = engine.create(new CreateRequest(null, sh("sleep 30"), null)).id();
        engine.start(id);
        Path dir = fx.root.resolve("engine/containers").resolve(id);
        assertThat(ContainerFs.isMounted(dir.resolve("rootfs"))).isTrue();
        assertThatThrownBy(() -> engine.remove(id, false, false)).extracting(e -> ((GantryException) e).kind())
                .isEqualTo(ErrorKind.CONFLICT);
        engine.remove(id, true, false);
        assertThat(dir).doesNotExist();
        // The directory is deleted in the background, after a rename into the engine's trash.
        Path trash = fx.root.resolve("engine/removed");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (entries(trash) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(trash).isEmptyDirectory();
        assertThat(ContainerFs.isMounted(dir.resolve("rootfs"))).isFalse();
        assertThat(Path.of("/sys/fs/cgroup/memory/gantry", id)).doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/pids/gantry", id)).doesNotExist();
        assertThat(fx.root.resolve("runtime").resolve(id)).doesNotExist();
        assertThat(fx.images.snapshots().exists(id)).isFalse();
        List<String> all = new ArrayList<>();
        engine.list(true).forEach(c -> all.add(c.id()));
        assertThat(all).doesNotContain(id);
    }

    private static long entries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }
}
