package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydProcess.DOCKER;
import static dev.gantry.daemon.GantrydProcess.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker push}, {@code pull}, {@code tag} and {@code login} through gantryd against
 * Debian's docker-registry on 127.0.0.1: an open one, and one with htpasswd (Basic) auth.
 */
@SharedGantryd
class GantrydRegistryTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret-pw";

    private final GantrydProcess gantryd;
    private LocalRegistry open;
    private LocalRegistry guarded;

    GantrydRegistryTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    @BeforeAll
    void startRegistries() throws Exception {
        open = LocalRegistry.start(gantryd.dir.resolve("open-registry"), "");
        Path guardedDir = gantryd.dir.resolve("guarded-registry");
        guarded = LocalRegistry.start(guardedDir, LocalRegistry.htpasswdAuth(guardedDir, USER, PASSWORD));
    }

    @AfterAll
    void stopRegistries() throws Exception {
        try {
            if (open != null) {
                open.close();
            }
        } finally {
            if (guarded != null) {
                guarded.close();
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

        var wrong = gantryd.dockerWithInput(DOCKER, "wrong\n", "--config", config.toString(), "login", "-u", USER,
                "--password-stdin", guarded.host());
        assertThat(wrong.exitCode()).as(wrong.describe()).isEqualTo(1);
        assertThat(Files.exists(config.resolve("config.json")) ? Files.readString(config.resolve("config.json")) : "")
                .doesNotContain(guarded.host());
        var right = gantryd.dockerWithInput(DOCKER, PASSWORD + "\n", "--config", config.toString(), "login", "-u",
                USER, "--password-stdin", guarded.host());
        assertThat(right.exitCode()).as(right.describe()).isZero();
        assertThat(right.stdout()).contains("Login Succeeded");
        assertThat(gantryd.ok(DOCKER, "--config", config.toString(), "push", ref)).containsPattern("auth: digest: sha256:[0-9a-f]{64}");

        // A daemon that never saw the login gets the credentials from the CLI's X-Registry-Auth header.
        try (GantrydProcess fresh = new GantrydProcess(GantrydProcess.launcher())) {
            var refused = fresh.docker(DOCKER, "pull", ref);
            assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
            assertThat(fresh.ok(DOCKER, "--config", config.toString(), "pull", ref)).contains("Status: Downloaded image for " + ref);
            assertThat(fresh.ok(DOCKER, "run", "--rm", ref, "echo", "authorized")).isEqualTo("authorized\n");
        }
        gantryd.ok(DOCKER, "rmi", ref);
    }
}
