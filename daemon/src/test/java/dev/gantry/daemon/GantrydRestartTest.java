package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.BusyboxRootfs;
import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** SIGTERM stops gantryd cleanly; its containers keep running and the next gantryd manages them. */
@RequiresRoot
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydRestartTest {
    private static final String DOCKER = "/usr/bin/docker";

    /** Alive and not a zombie: the adopted init is re-parented, and whoever is its parent now may reap it late. */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }

    @Test
    void containersSurviveACleanShutdownAndAreAdoptedByTheNextDaemon() throws Exception {
        Path launcher = Path.of(System.getProperty("gantryd.launcher"));
        GantrydProcess first = new GantrydProcess(launcher);
        Path dir = first.dir;
        GantrydProcess second = null;
        try {
            Path tar = dir.resolve("rootfs.tar");
            Process p = new ProcessBuilder("tar", "--numeric-owner", "-C", BusyboxRootfs.shared().toString(), "-cf", tar.toString(), ".")
                    .inheritIO().start();
            assertThat(p.waitFor()).isZero();
            first.ok(DOCKER, "import", tar.toString(), "busybox:it");
            first.ok(DOCKER, "run", "-d", "--name", "survivor", "busybox:it", "sleep", "100");
            first.rememberContainers(DOCKER);
            long pid = Long.parseLong(first.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", "survivor").trim());

            assertThat(first.terminate()).isEqualTo(143);
            assertThat(dir.resolve("run/gantryd.pid")).doesNotExist();
            assertThat(running(pid)).as("container init %d after the daemon's shutdown", pid).isTrue();

            second = new GantrydProcess(launcher, dir);
            assertThat(second.ok(DOCKER, "ps", "--format", "{{.Names}} {{.State}}")).isEqualTo("survivor running\n");
            second.ok(DOCKER, "stop", "-t", "1", "survivor");
            // The adopted init is no longer the daemon's child, so its exit status cannot be reaped:
            // the engine records the exit as lost (255) rather than inventing one.
            assertThat(second.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "survivor")).isEqualTo("exited\n");
            assertThat(running(pid)).as("container init %d after stop", pid).isFalse();
        } finally {
            if (second != null) {
                second.rememberContainers(DOCKER);
                second.close();
            } else {
                first.close();
            }
            assertThat(Files.exists(dir)).isFalse();
        }
    }
}
