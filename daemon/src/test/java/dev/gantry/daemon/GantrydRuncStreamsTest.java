package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydProcess.DOCKER;
import static dev.gantry.daemon.GantrydProcess.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The docker CLI's streams and copies into a container that Debian's runc runs
 * ({@code docker run --runtime runc}): {@code exec -it} through a terminal, {@code logs -f}
 * while the container writes, and {@code cp} both ways.
 */
@SharedGantryd
class GantrydRuncStreamsTest {
    private final GantrydProcess gantryd;

    GantrydRuncStreamsTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    @BeforeAll
    void runcInstalled() {
        assertThat(Path.of("/usr/sbin/runc")).as("Debian's runc").isExecutable();
    }

    /** Keys typed on the CLI's terminal reach a shell on a pty in the runc container, and its echo comes back. */
    @Test
    void execInteractiveWithATerminal() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "rc-exec-it", IMAGE, "sleep", "1000");
        try {
            gantryd.rememberContainers(DOCKER);
            Process p = underTerminal("exec -it rc-exec-it sh");
            StringBuilder seen = new StringBuilder();
            try {
                var in = p.getOutputStream();
                in.write("echo typed-$((6*7)); tty; echo end-$((1+1))\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                // The terminal echoes what was typed (the unexpanded text), then the shell prints the results.
                assertThat(readUntil(p, seen, "end-2\r\n")).contains("echo typed-$((6*7))", "typed-42\r\n")
                        .containsPattern("\r\n/dev/pts/\\d+\r\n");
                in.write("exit 7\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(seen.toString()).isTrue();
                assertThat(p.exitValue()).as(seen.toString()).isEqualTo(7);
            } finally {
                p.destroyForcibly().waitFor();
            }
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.HostConfig.Runtime}} {{.State.Status}}", "rc-exec-it"))
                    .isEqualTo("runc running\n");
            assertThat(gantryd.ok(DOCKER, "exec", "rc-exec-it", "ps", "-o", "comm")).as("the exec's shell has ended")
                    .doesNotContain("sh\n");
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "rc-exec-it");
        }
    }

    /** {@code logs -f} prints lines as the container writes them, stdout and stderr, and ends when the container does. */
    @Test
    void logsFollowStreamsUntilTheContainerExits() throws Exception {
        Path gate = Files.createDirectories(gantryd.dir.resolve("gate"));
        gantryd.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "rc-logs", "-v", gate + ":/gate", IMAGE, "sh", "-c",
                "echo first; echo to-err >&2; while [ ! -e /gate/go ]; do sleep 0.1; done; echo last; exit 3");
        try {
            gantryd.rememberContainers(DOCKER);
            Process follow = new ProcessBuilder(DOCKER, "-H", "unix://" + gantryd.socket, "logs", "-f", "rc-logs")
                    .redirectErrorStream(true).start();
            try {
                follow.getOutputStream().close();
                StringBuilder seen = new StringBuilder();
                assertThat(readUntil(follow, seen, "to-err\n")).contains("first\n", "to-err\n").doesNotContain("last");
                assertThat(follow.isAlive()).as("logs -f while the container runs").isTrue();
                Files.createFile(gate.resolve("go"));
                readUntil(follow, seen, "last\n");
                assertThat(follow.waitFor(30, TimeUnit.SECONDS)).as("logs -f after the container exited: " + seen).isTrue();
                seen.append(new String(follow.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                assertThat(follow.exitValue()).isZero();
                assertThat(seen.toString()).endsWith("last\n");
            } finally {
                follow.destroyForcibly().waitFor();
            }
            assertThat(gantryd.ok(DOCKER, "wait", "rc-logs")).isEqualTo("3\n");
            var split = gantryd.docker(DOCKER, "logs", "rc-logs");
            assertThat(split.stdout()).isEqualTo("first\nlast\n");
            assertThat(split.stderr()).isEqualTo("to-err\n");
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "rc-logs");
        }
    }

    /** {@code docker cp} into and out of a runc container: a file, a directory tree, and what the container wrote. */
    @Test
    void cpBothWays() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "rc-cp", IMAGE, "sleep", "1000");
        try {
            gantryd.rememberContainers(DOCKER);
            Path dir = Files.createDirectories(gantryd.dir.resolve("rc-cp"));
            Path file = Files.writeString(dir.resolve("file"), "copied in\n");
            gantryd.ok(DOCKER, "cp", file.toString(), "rc-cp:/tmp/");
            assertThat(gantryd.ok(DOCKER, "exec", "rc-cp", "cat", "/tmp/file")).isEqualTo("copied in\n");

            Path tree = Files.createDirectories(dir.resolve("tree/sub"));
            Files.writeString(tree.resolve("leaf"), "leaf\n");
            gantryd.ok(DOCKER, "cp", dir.resolve("tree").toString(), "rc-cp:/tmp/");
            assertThat(gantryd.ok(DOCKER, "exec", "rc-cp", "cat", "/tmp/tree/sub/leaf")).isEqualTo("leaf\n");

            gantryd.ok(DOCKER, "exec", "rc-cp", "sh", "-c", "mkdir -p /made/inner && echo made > /made/inner/m && chmod 640 /made/inner/m");
            gantryd.ok(DOCKER, "cp", "rc-cp:/made", dir.resolve("back").toString());
            assertThat(Files.readString(dir.resolve("back/inner/m"))).isEqualTo("made\n");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("back/inner/m"))))
                    .isEqualTo("rw-r-----");
            Path hostname = dir.resolve("hostname");
            gantryd.ok(DOCKER, "cp", "rc-cp:/etc/hostname", hostname.toString());
            assertThat(Files.readString(hostname)).isEqualTo(gantryd.ok(DOCKER, "inspect", "--format", "{{.Config.Hostname}}", "rc-cp"));

            var missing = gantryd.docker(DOCKER, "cp", "rc-cp:/no/such", dir.resolve("x").toString());
            assertThat(missing.exitCode()).as(missing.describe()).isNotZero();
            assertThat(missing.stderr()).contains("No such container:path: rc-cp:/no/such");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.HostConfig.Runtime}} {{.State.Status}}", "rc-cp"))
                    .isEqualTo("runc running\n");
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "rc-cp");
        }
    }

    /** The CLI under script(1), so that it has a terminal as a user's shell would give it. */
    private Process underTerminal(String dockerArgs) throws IOException {
        String cmd = DOCKER + " -H unix://" + gantryd.socket + " " + dockerArgs;
        return new ProcessBuilder("script", "-qfec", cmd, "/dev/null").redirectErrorStream(true).start();
    }

    /** Reads the process's output into {@code seen} until it contains {@code expected} (or ends, or 30 s pass). */
    private static String readUntil(Process p, StringBuilder seen, String expected) throws IOException, InterruptedException {
        byte[] buf = new byte[4096];
        var in = p.getInputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // Polls rather than blocks, so that a CLI that hangs silently fails the test instead of stalling it.
        while (!seen.toString().contains(expected) && System.nanoTime() < deadline) {
            if (in.available() == 0) {
                if (!p.isAlive() && in.available() == 0) {
                    break;
                }
                Thread.sleep(10);
                continue;
            }
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return seen.toString();
    }
}
