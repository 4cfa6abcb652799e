package dev.gantry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A dockerd of our own, with a containerd of our own under it, both rooted in one private
 * directory and listening on private sockets. The system's dockerd and containerd (if any)
 * are never used: dockerd is always handed our containerd's socket, because without
 * {@code --containerd} it would attach to /run/containerd/containerd.sock when that exists.
 * Closing removes the containers, stops both daemons by pid, kills stray shims, unmounts what
 * is left under the directory and deletes it.
 */
final class PrivateDockerd implements AutoCloseable {

    /** Debian's CLI, the same version as the daemon; a newer client elsewhere on PATH is not what is tested. */
    private static final String DOCKER = "/usr/bin/docker";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN = Duration.ofSeconds(30);

    private final Path dir;
    private final List<Process> daemons = new ArrayList<>();
    private final boolean runContainerdExisted = Files.exists(Path.of("/run/containerd"));
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Stops the daemons if the test JVM is told to exit before the tests close this (a surefire timeout). */
    private final Thread onJvmExit = new Thread(this::close, "private-dockerd-cleanup");

    private PrivateDockerd(Path dir) {
        this.dir = dir;
        Runtime.getRuntime().addShutdownHook(onJvmExit);
    }

    /** Starts containerd and dockerd with {@code runtimes} registered under their names. */
    static PrivateDockerd start(List<OciRuntimeUnderTest> runtimes) throws IOException {
        // Short path: unix socket paths are limited to 108 bytes.
        PrivateDockerd docker = new PrivateDockerd(Files.createTempDirectory(Path.of("/tmp"), "gdk"));
        try {
            docker.startContainerd();
            docker.startDockerd(runtimes);
            return docker;
        } catch (RuntimeException | Error | IOException e) {
            docker.close();
            throw e;
        }
    }

    /** Runs {@code docker <args>} against this daemon. */
    HostCommand.Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of(DOCKER, "--host", "unix://" + dir.resolve("docker.sock")));
        command.addAll(List.of(args));
        // DOCKER_CONFIG keeps the CLI's own state out of the caller's home directory.
        return HostCommand.run(Map.of("DOCKER_CONFIG", dir.resolve("cli").toString()), COMMAND_TIMEOUT, command);
    }

    private void startContainerd() throws IOException {
        Path config = dir.resolve("containerd.toml");
        Files.writeString(config, """
                version = 2
                root = "%1$s/containerd/root"
                state = "%1$s/containerd/state"
                # The CRI plugin is for kubelet; it would look for CNI config and is not needed by dockerd.
                disabled_plugins = ["io.containerd.grpc.v1.cri"]

                [grpc]
                  address = "%1$s/containerd.sock"

                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/containerd/opt"
                """.formatted(dir));
        Process containerd = launch("containerd", List.of("containerd", "--config", config.toString()));
        awaitSocket(containerd, dir.resolve("containerd.sock"), "containerd");
    }

    private void startDockerd(List<OciRuntimeUnderTest> runtimes) throws IOException {
        String registered = runtimes.stream()
                .map(r -> "\"%s\": {\"path\": \"%s\"}".formatted(r.name(), r.binary()))
                .collect(Collectors.joining(", "));
        Path config = dir.resolve("daemon.json");
        Files.writeString(config, "{\"runtimes\": {" + registered + "}}\n");
        Process dockerd = launch("dockerd", List.of("dockerd",
                "--config-file", config.toString(),
                "--containerd", dir.resolve("containerd.sock").toString(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("dockerd.pid").toString(),
                "--host", "unix://" + dir.resolve("docker.sock"),
                // No bridge and no iptables: the tests use --network none and must not touch host networking.
                "--bridge", "none", "--iptables=false", "--ip6tables=false", "--ip-masq=false",
                "--storage-driver", "vfs"));
        awaitSocket(dockerd, dir.resolve("docker.sock"), "dockerd");
        Instant deadline = Instant.now().plus(STARTUP);
        HostCommand.Result ping = docker("version");
        while (ping.exitCode() != 0 && Instant.now().isBefore(deadline) && dockerd.isAlive()) {
            pause();
            ping = docker("version");
        }
        assertThat(ping.exitCode()).as("dockerd does not answer: %s\n%s", ping.describe(), logTail("dockerd")).isZero();
    }

    private Process launch(String name, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".log");
        List<String> withDeathSignal = new ArrayList<>(List.of("setpriv", "--pdeathsig", "TERM"));
        withDeathSignal.addAll(command);
        // A JVM killed outright runs no shutdown hook; the parent-death signal still stops the daemon.
        Process process = new ProcessBuilder(withDeathSignal)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        daemons.add(process);
        return process;
    }

    private void awaitSocket(Process daemon, Path socket, String name) {
        Instant deadline = Instant.now().plus(STARTUP);
        while (!Files.exists(socket)) {
            assertThat(daemon.isAlive()).as("%s exited with %s before creating %s\n%s", name,
                    daemon.isAlive() ? "-" : daemon.exitValue(), socket, logTail(name)).isTrue();
            assertThat(Instant.now()).as("%s created no %s within %s\n%s", name, socket, STARTUP, logTail(name))
                    .isBefore(deadline);
            pause();
        }
    }

    /** The last lines of a daemon's log, for failure messages. */
    String logTail(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            return name + ".log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no " + name + ".log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        if (Thread.currentThread() != onJvmExit) {
            Runtime.getRuntime().removeShutdownHook(onJvmExit);
        }
        try {
            if (daemons.size() == 2 && daemons.getLast().isAlive()) {
                HostCommand.Result ids = docker("ps", "--all", "--quiet");
                if (ids.exitCode() == 0 && !ids.stdout().isBlank()) {
                    List<String> rm = new ArrayList<>(List.of("rm", "--force"));
                    rm.addAll(List.of(ids.stdout().strip().split("\n")));
                    docker(rm.toArray(String[]::new));
                }
            }
        } finally {
            // dockerd first: it still talks to containerd while it shuts down.
            for (Process daemon : daemons.reversed()) {
                HostCleanup.terminate(daemon.toHandle(), SHUTDOWN);
            }
            // Shims daemonize away from containerd but carry its socket path on their command line.
            HostCleanup.terminateMentioning(dir.toString(), Duration.ofSeconds(10));
            HostCleanup.unmountUnder(dir);
            HostCleanup.deleteTree(dir);
            removeEmptyShimSocketDirectory();
        }
    }

    /** containerd 1.6 puts shim sockets in /run/containerd/s whatever its state dir; leave /run as we found it. */
    private void removeEmptyShimSocketDirectory() {
        if (runContainerdExisted) {
            return;
        }
        try {
            Files.deleteIfExists(Path.of("/run/containerd/s"));
            Files.deleteIfExists(Path.of("/run/containerd"));
        } catch (IOException notEmpty) {
            // Something else now uses /run/containerd; it is not ours to remove.
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for a daemon", e));
        }
    }
}
