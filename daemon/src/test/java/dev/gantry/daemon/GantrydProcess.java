package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.BusyboxRootfs;
import dev.gantry.testkit.ClassResource;
import dev.gantry.testkit.Leaks;
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
import org.assertj.core.api.SoftAssertions;

/**
 * A gantryd started from its launcher on temporary roots and a temporary socket, driven with
 * a docker CLI. It records the id of every container created through {@link #docker} (the
 * CLI's {@code --cidfile}), so that what a container removed long before the end left behind is
 * still found. {@link #close} removes what the daemon made: its containers (rm -f), then the
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

    /**
     * Runs {@code docker -H unix://socket args...} with the given CLI binary, recording the id of
     * the container a {@code run} or {@code create} made.
     */
    Result docker(String cli, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(cli, "-H", "unix://" + socket));
        Path cidFile = addCidFile(cmd, args);
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
        rememberCidFile(cidFile);
        return r;
    }

    /** Runs the CLI with {@code input} as its stdin. */
    Result dockerWithInput(String cli, String input, String... args) throws IOException, InterruptedException {
        Path in = Files.createTempFile(dir, "in", ".txt");
        Files.writeString(in, input);
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\" < " + in, cli, "-H", "unix://" + socket));
        Path cidFile = addCidFile(cmd, args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        Files.delete(in);
        rememberCidFile(cidFile);
        return new Result(p.exitValue(), out, err);
    }

    /**
     * Appends {@code args} to {@code cmd}; for {@code run} and {@code create} (also as
     * {@code container run}/{@code create}) with a {@code --cidfile} right after the verb, into
     * which the CLI writes the new container's id once the daemon created it. Returns that file,
     * or null for other commands.
     */
    private Path addCidFile(List<String> cmd, String... args) throws IOException {
        int verb = args.length > 1 && args[0].equals("container") ? 1 : 0;
        if (args.length <= verb || !(args[verb].equals("run") || args[verb].equals("create"))) {
            cmd.addAll(Arrays.asList(args));
            return null;
        }
        // A name of its own, absent: the CLI refuses a --cidfile that exists.
        Path cidFile = Files.createTempFile(dir, "cid", ".txt");
        Files.delete(cidFile);
        cmd.addAll(Arrays.asList(args).subList(0, verb + 1));
        cmd.addAll(List.of("--cidfile", cidFile.toString()));
        cmd.addAll(Arrays.asList(args).subList(verb + 1, args.length));
        return cidFile;
    }

    private void rememberCidFile(Path cidFile) throws IOException {
        if (cidFile != null && Files.exists(cidFile)) {
            String id = Files.readString(cidFile).trim();
            if (!id.isEmpty()) {
                containerIds.add(id);
            }
            Files.delete(cidFile);
        }
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
     * {@link #close}, failing when the tests left something: a container runc still kept state
     * for when the tests were done (before the close's {@code rm -f}), or, once the daemon had
     * removed its containers and stopped, and before the close's clean-up removed them, a mount
     * under the daemon's directory, a cgroup named after one of its containers, a process in
     * that directory or runc state of one of them. The clean-up runs either way.
     */
    void closeCheckingLeaks() throws IOException, InterruptedException {
        List<Path> runcLeft = List.of();
        Leaks.Found left;
        try {
            runcLeft = runcStateDirs();
        } finally {
            left = stop();
        }
        SoftAssertions leaks = new SoftAssertions();
        leaks.assertThat(runcLeft).as("containers runc still kept state for when the tests were done").isEmpty();
        leaks.assertThat(left.isEmpty()).as("after the daemon stopped, %s", left.describe()).isTrue();
        leaks.assertAll();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    /**
     * Removes the containers, stops the daemon, and removes what was left; returns what was
     * left, scanned between the daemon's stop and the removal.
     */
    private Leaks.Found stop() throws IOException, InterruptedException {
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
            return Leaks.scan(dir, containerIds, dir.resolve("run/runtimes/runc/state"));
        } finally {
            deleteBridge();
            Leaks.remove(dir, containerIds);
        }
    }
}
