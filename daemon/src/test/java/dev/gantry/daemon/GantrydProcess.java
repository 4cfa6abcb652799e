package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.BusyboxRootfs;
import dev.gantry.testkit.ClassResource;
import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.Mountinfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A gantryd started from its launcher on temporary roots and a temporary socket, driven with
 * a docker CLI. {@link #close} removes what the daemon made: its containers (rm -f), then the
 * daemon (SIGTERM by pid, SIGKILL if it lingers), any mount left under the temp dir, the
 * cgroups of the containers it ran, and the temp dir.
 */
final class GantrydProcess implements AutoCloseable {
    /** The CLI the tests drive the daemon with: Debian's docker, 20.10. */
    static final String DOCKER = "/usr/bin/docker";
    /** The name {@link #withBusybox} imports the busybox rootfs as. */
    static final String IMAGE = "busybox:it";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    final Path dir;
    final Path socket;
    private final Process daemon;
    private final Set<String> containerIds = new LinkedHashSet<>();
    final String bridge;

    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + ", stdout [" + stdout + "], stderr [" + stderr + "]";
        }
    }

    /** The launcher {@code package} built, from the system property the pom sets. */
    static Path launcher() {
        return Path.of(System.getProperty("gantryd.launcher"));
    }

    /**
     * A daemon from {@link #launcher} on {@code dir} with {@code extraArgs}, with busybox imported
     * as {@link #IMAGE}; closed again when the import fails.
     */
    static GantrydProcess withBusybox(Path dir, List<String> extraArgs) throws Exception {
        return ClassResource.prepared(new GantrydProcess(launcher(), dir, extraArgs),
                d -> assertThat(d.importBusybox(DOCKER, IMAGE)).startsWith("sha256:"));
    }

    GantrydProcess(Path launcher) throws IOException, InterruptedException {
        this(launcher, Files.createTempDirectory("gantryd-it-"));
    }

    /** A daemon on the roots of an earlier one in {@code dir} (which must have been {@link #terminate}d). */
    GantrydProcess(Path launcher, Path dir) throws IOException, InterruptedException {
        this(launcher, dir, List.of());
    }

    /**
     * A daemon with more options. Its default network's bridge is named after {@code dir}, so
     * that parallel runs never share one; {@link #close} deletes it.
     */
    GantrydProcess(Path launcher, Path dir, List<String> extraArgs) throws IOException, InterruptedException {
        this.dir = dir;
        this.socket = dir.resolve("gantry.sock");
        this.bridge = "gtd" + Integer.toHexString(dir.toString().hashCode() & 0x7fffffff);
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--root", dir.resolve("root").toString(),
                "--exec-root", dir.resolve("run").toString(), "-H", "unix://" + socket, "--bridge", bridge));
        cmd.addAll(extraArgs);
        this.daemon = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(dir.resolve("gantryd.log").toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(dir.resolve("run/gantryd.pid"))) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("gantryd.log"));
                close();
                throw new IllegalStateException("gantryd did not start: " + log);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Imports the shared busybox rootfs (testkit's, from busybox-static) as {@code image}
     * through {@code cli}'s {@code import}; returns what the CLI printed (the image id).
     */
    String importBusybox(String cli, String image) throws IOException, InterruptedException {
        Path tar = dir.resolve("rootfs.tar");
        Process p = new ProcessBuilder("tar", "--numeric-owner", "-C", BusyboxRootfs.shared().toString(), "-cf", tar.toString(), ".")
                .inheritIO().start();
        assertThat(p.waitFor()).as("tar of the busybox rootfs").isZero();
        return ok(cli, "import", tar.toString(), image);
    }

    long pid() {
        return daemon.pid();
    }

    /**
     * SIGKILL to the daemon's own process (the pid it wrote, which is the JVM the launcher
     * exec'd), as a crash would end it: nothing of its shutdown runs. Waits until it is gone.
     */
    void killHard() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(dir.resolve("run/gantryd.pid")).trim());
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("gantryd " + pid + " is not running"));
        handle.destroyForcibly();
        if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gantryd " + pid + " survived SIGKILL");
        }
    }

    /** SIGTERM only: the daemon's clean shutdown, which leaves containers running; the temp dir stays. */
    int terminate() throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
            daemon.destroyForcibly().waitFor();
        }
        return daemon.exitValue();
    }

    /** Runs {@code docker -H unix://socket args...} with the given CLI binary. */
    Result docker(String cli, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(cli, "-H", "unix://" + socket));
        cmd.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** Runs the CLI with {@code input} as its stdin. */
    Result dockerWithInput(String cli, String input, String... args) throws IOException, InterruptedException {
        Path in = Files.createTempFile(dir, "in", ".txt");
        Files.writeString(in, input);
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\" < " + in, cli, "-H", "unix://" + socket));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        Files.delete(in);
        return new Result(p.exitValue(), out, err);
    }

    /** Like {@link #docker} but asserts exit 0 and returns stdout. */
    String ok(String cli, String... args) throws IOException, InterruptedException {
        Result r = docker(cli, args);
        assertThat(r.exitCode()).as("docker " + String.join(" ", args) + ": " + r.describe()).isZero();
        return r.stdout();
    }

    /** Records every container id the daemon knows, for the cgroup clean-up and the leak check. */
    void rememberContainers(String cli) throws IOException, InterruptedException {
        Result r = docker(cli, "ps", "-aq", "--no-trunc");
        if (r.exitCode() == 0) {
            for (String id : r.stdout().split("\\s+")) {
                if (!id.isBlank()) {
                    containerIds.add(id.trim());
                }
            }
        }
    }

    Collection<String> containerIds() {
        return containerIds;
    }

    /** The default network's bridge outlives the daemon (as docker0 does); a test's must not outlive the test. */
    void deleteBridge() throws IOException, InterruptedException {
        new ProcessBuilder("ip", "link", "delete", bridge).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("gantryd.log"));
    }

    /** The containers runc still keeps state for (one directory each under the --root gantryd gives it). */
    List<Path> runcStateDirs() throws IOException {
        Path state = dir.resolve("run/runtimes/runc/state");
        if (!Files.isDirectory(state)) {
            return List.of();
        }
        try (var s = Files.list(state)) {
            return s.filter(Files::isDirectory).toList();
        }
    }

    /**
     * {@link #close} (which records the daemon's containers first), then asserts that what they
     * could leave is gone: no container state with runc once the tests were done (before the
     * close's {@code rm -f}), no cgroup named after one of them, nothing mounted under the
     * daemon's directory.
     */
    void closeCheckingLeaks() throws IOException, InterruptedException {
        List<Path> runcLeft = List.of();
        try {
            runcLeft = runcStateDirs();
        } finally {
            close();
        }
        assertThat(runcLeft).as("runc state left").isEmpty();
        assertThat(Leaks.cgroups(containerIds)).as("cgroups left").isEmpty();
        assertThat(Mountinfo.under(dir)).as("mounts left").isEmpty();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (daemon.isAlive()) {
                rememberContainers("docker");
                for (String id : containerIds) {
                    docker("docker", "rm", "-f", id);
                }
                daemon.destroy();
                if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly().waitFor();
                }
            }
        } finally {
            deleteBridge();
            Leaks.remove(dir, containerIds);
        }
    }
}
