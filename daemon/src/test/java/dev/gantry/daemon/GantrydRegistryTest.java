package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.RequiresRoot;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@code docker push}, {@code pull}, {@code tag} and {@code login} through gantryd against
 * Debian's docker-registry on 127.0.0.1: an open one, and one with htpasswd (Basic) auth.
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydRegistryTest {
    private static final String DOCKER = "/usr/bin/docker";
    private static final String IMAGE = "busybox:it";

    private GantrydProcess gantryd;
    private Registry open;
    private Registry guarded;

    @BeforeAll
    void start() throws Exception {
        gantryd = new GantrydProcess(Path.of(System.getProperty("gantryd.launcher")));
        gantryd.importBusybox(DOCKER, IMAGE);
        open = Registry.start(gantryd.dir.resolve("open-registry"), false);
        guarded = Registry.start(gantryd.dir.resolve("guarded-registry"), true);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (open != null) {
                open.close();
            }
            if (guarded != null) {
                guarded.close();
            }
        } finally {
            if (gantryd != null) {
                gantryd.close();
            }
        }
    }

    @Test
    void pushRemovePullAndRunAgainstAnOpenRegistry() throws Exception {
        String ref = open.host() + "/busybox:1";
        gantryd.ok(DOCKER, "tag", IMAGE, ref);
        String id = gantryd.ok(DOCKER, "images", "-q", "--no-trunc", ref).trim();
        String pushed = gantryd.ok(DOCKER, "push", ref);
        assertThat(pushed).contains("The push refers to repository [" + open.host() + "/busybox]").containsPattern("1: digest: sha256:[0-9a-f]{64}");
        gantryd.ok(DOCKER, "rmi", ref);
        assertThat(gantryd.ok(DOCKER, "images", "-q", ref)).isBlank();
        assertThat(gantryd.ok(DOCKER, "pull", ref)).contains("Status: Downloaded image for " + ref);
        assertThat(gantryd.ok(DOCKER, "images", "-q", "--no-trunc", ref).trim()).isEqualTo(id);
        assertThat(gantryd.ok(DOCKER, "run", "--rm", ref, "echo", "from the registry")).isEqualTo("from the registry\n");
        var missing = gantryd.docker(DOCKER, "pull", open.host() + "/busybox:nosuchtag");
        assertThat(missing.exitCode()).as(missing.describe()).isEqualTo(1);
        assertThat(missing.stderr()).containsIgnoringCase("not found");
        gantryd.ok(DOCKER, "rmi", ref);
    }

    @Test
    void loginChecksCredentialsAndPushAndPullUseThem() throws Exception {
        Path config = Files.createDirectories(gantryd.dir.resolve("docker-config"));
        String ref = guarded.host() + "/busybox:auth";
        gantryd.ok(DOCKER, "tag", IMAGE, ref);
        var anonymous = gantryd.docker(DOCKER, "--config", config.toString(), "push", ref);
        assertThat(anonymous.exitCode()).as(anonymous.describe()).isEqualTo(1);
        assertThat(anonymous.stdout() + anonymous.stderr()).contains("authentication required");

        var wrong = gantryd.dockerWithInput(DOCKER, "wrong\n", "--config", config.toString(), "login", "-u", Registry.USER,
                "--password-stdin", guarded.host());
        assertThat(wrong.exitCode()).as(wrong.describe()).isEqualTo(1);
        assertThat(Files.exists(config.resolve("config.json")) ? Files.readString(config.resolve("config.json")) : "")
                .doesNotContain(guarded.host());
        var right = gantryd.dockerWithInput(DOCKER, Registry.PASSWORD + "\n", "--config", config.toString(), "login", "-u",
                Registry.USER, "--password-stdin", guarded.host());
        assertThat(right.exitCode()).as(right.describe()).isZero();
        assertThat(right.stdout()).contains("Login Succeeded");
        assertThat(gantryd.ok(DOCKER, "--config", config.toString(), "push", ref)).containsPattern("auth: digest: sha256:[0-9a-f]{64}");

        // A daemon that never saw the login gets the credentials from the CLI's X-Registry-Auth header.
        try (GantrydProcess fresh = new GantrydProcess(Path.of(System.getProperty("gantryd.launcher")))) {
            var refused = fresh.docker(DOCKER, "pull", ref);
            assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
            assertThat(fresh.ok(DOCKER, "--config", config.toString(), "pull", ref)).contains("Status: Downloaded image for " + ref);
            assertThat(fresh.ok(DOCKER, "run", "--rm", ref, "echo", "authorized")).isEqualTo("authorized\n");
        }
        gantryd.ok(DOCKER, "rmi", ref);
    }

    /** Debian's docker-registry on 127.0.0.1 and a free port, optionally behind htpasswd; stopped by its pid. */
    private record Registry(Process process, int port) implements AutoCloseable {
        static final String USER = "alice";
        static final String PASSWORD = "s3cret-pw";

        static Registry start(Path dir, boolean htpasswd) throws Exception {
            Files.createDirectories(dir.resolve("storage"));
            String auth = "";
            if (htpasswd) {
                Process h = new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String line = new String(h.getInputStream().readAllBytes()).strip();
                assertThat(h.waitFor()).as("htpasswd (Debian's apache2-utils)").isZero();
                Files.writeString(dir.resolve("htpasswd"), line + "\n");
                auth = "auth:\n  htpasswd:\n    realm: gantry-test\n    path: " + dir.resolve("htpasswd") + "\n";
            }
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path config = dir.resolve("config.yml");
            Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                    + dir.resolve("storage") + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port + "\n" + auth);
            Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            Registry r = new Registry(p, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return r;
                } catch (IOException notYet) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        r.close();
                        throw new IllegalStateException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
                    }
                    Thread.sleep(50);
                }
            }
        }

        String host() {
            return "127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
