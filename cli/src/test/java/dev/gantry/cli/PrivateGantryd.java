package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.BusyboxRootfs;
import dev.gantry.testkit.ClassResource;
import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.Mountinfo;
import dev.gantry.testkit.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A gantryd started from its launcher on temporary roots and socket, driven with the built
 * {@code gantry} launcher (or the docker CLI). {@link #close} removes what the daemon made even
 * after a failure: its containers, then the daemon (SIGTERM by pid, SIGKILL if it lingers), any
 * mount left under the temp dir, the containers' cgroups, and the temp dir.
 */
final class PrivateGantryd implements AutoCloseable {
    static final String GANTRY = System.getProperty("gantry.launcher", "");
    static final String GANTRYD = System.getProperty("gantryd.launcher", "");
    static final String DOCKER = "/usr/bin/docker";
    static final String IMAGE = "busybox:it";

    final Path dir;
    final Path socket;
    private final Process daemon;
    private final Set<String> containerIds = new LinkedHashSet<>();

    record Result(int code, String out, String err) {
        String describe() {
            return "exit " + code + ", stdout [" + out + "], stderr [" + err + "]";
        }
    }

    /** Whether the launchers these tests run were built (CI builds them: there, never skip). */
    static boolean launchersBuilt() {
        return "true".equals(System.getenv("CI"))
                || Files.isExecutable(Path.of(GANTRY)) && Files.isExecutable(Path.of(GANTRYD)) && Files.isExecutable(Path.of(DOCKER));
    }

    /** A daemon with busybox imported as {@link #IMAGE}; closed again when the import fails. */
    static PrivateGantryd withBusybox() throws Exception {
        return ClassResource.prepared(new PrivateGantryd(), PrivateGantryd::importBusybox);
    }

    PrivateGantryd() throws IOException, InterruptedException {
        this.dir = Files.createTempDirectory("gantry-cli-it-");
        this.socket = dir.resolve("gantry.sock");
        this.daemon = new ProcessBuilder(GANTRYD, "--root", dir.resolve("root").toString(), "--exec-root", dir.resolve("run").toString(),
                "-H", "unix://" + socket).redirectErrorStream(true).redirectOutput(dir.resolve("gantryd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(dir.resolve("run/gantryd.pid")) || !Files.exists(socket)) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("gantryd.log"));
                close();
                throw new IllegalStateException("gantryd did not start: " + log);
            }
            Thread.sleep(20);
        }
    }

    /** Imports the busybox rootfs as {@link #IMAGE} through {@code gantry import}. */
    void importBusybox() throws IOException, InterruptedException {
        Path tar = dir.resolve("rootfs.tar");
        Process p = new ProcessBuilder("tar", "--numeric-owner", "-C", BusyboxRootfs.shared().toString(), "-cf", tar.toString(), ".")
                .inheritIO().start();
        assertThat(p.waitFor()).isZero();
        assertThat(ok("import", tar.toString(), IMAGE)).startsWith("sha256:");
    }

    /** {@code gantry -H unix://socket args...}. */
    Result gantry(String... args) throws IOException, InterruptedException {
        return run(GANTRY, Map.of(), null, args);
    }

    Result gantryWithInput(String input, String... args) throws IOException, InterruptedException {
        return run(GANTRY, Map.of(), input, args);
    }

    Result docker(String... args) throws IOException, InterruptedException {
        return run(DOCKER, Map.of(), null, args);
    }

    /** Asserts exit 0 and returns stdout of {@code gantry args...}. */
    String ok(String... args) throws IOException, InterruptedException {
        Result r = gantry(args);
        assertThat(r.code()).as("gantry " + String.join(" ", args) + ": " + r.describe()).isZero();
        return r.out();
    }

    Result run(String cli, Map<String, String> env, String input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(cli, "-H", "unix://" + socket));
        cmd.addAll(Arrays.asList(args));
        return exec(cmd, env, input);
    }

    static Result exec(List<String> cmd, Map<String, String> env, String input) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("gantry-cli-cmd-");
        try {
            Path in = tmp.resolve("in");
            Files.writeString(in, input == null ? "" : input);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile())
                    .redirectInput(input == null ? Path.of("/dev/null").toFile() : in.toFile());
            pb.environment().remove("GANTRY_HOST");
            pb.environment().remove("DOCKER_HOST");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
                    Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
        } finally {
            TestFiles.delete(tmp);
        }
    }

    /** Records every container id the daemon knows, for the cgroup clean-up. */
    void rememberContainers() throws IOException, InterruptedException {
        Result r = gantry("ps", "-aq", "--no-trunc");
        if (r.code() == 0) {
            for (String id : r.out().split("\\s+")) {
                if (!id.isBlank()) {
                    containerIds.add(id.trim());
                }
            }
        }
    }

    /** {@link #close}, then asserts that nothing stays mounted under the daemon's directory. */
    void closeCheckingMounts() throws IOException, InterruptedException {
        close();
        assertThat(Mountinfo.under(dir)).as("mounts left").isEmpty();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (daemon.isAlive()) {
                rememberContainers();
                for (String id : containerIds) {
                    gantry("rm", "-f", id);
                }
                daemon.destroy();
                if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly().waitFor();
                }
            }
        } finally {
            Leaks.remove(dir, containerIds);
        }
    }
}
