package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.Mountinfo;
import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * SIGTERM stops gantryd cleanly, SIGKILL ends it abruptly; either way its containers keep
 * running and the next gantryd on the same roots manages them again.
 */
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
            first.importBusybox(DOCKER, "busybox:it");
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
    @Test
    void afterKill9EveryContainerIsAccountedForAndNothingLeaks() throws Exception {
        Path launcher = Path.of(System.getProperty("gantryd.launcher"));
        GantrydProcess first = new GantrydProcess(launcher);
        Path dir = first.dir;
        GantrydProcess second = null;
        try {
            first.importBusybox(DOCKER, "busybox:it");
            first.ok(DOCKER, "run", "-d", "--name", "runner", "busybox:it", "sleep", "100");
            first.ok(DOCKER, "run", "-d", "--init", "--name", "inited", "busybox:it", "sleep", "100");
            first.ok(DOCKER, "run", "-d", "--name", "quitter", "busybox:it", "sleep", "2");
            first.ok(DOCKER, "run", "--name", "done", "busybox:it", "true");
            first.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "runc-runner", "busybox:it", "sleep", "100");
            first.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "runc-quitter", "busybox:it", "sleep", "2");
            // A --rm container that ends while no daemon runs is removed by the next one, as dockerd does.
            first.ok(DOCKER, "run", "-d", "--rm", "--name", "rm-quitter", "busybox:it", "sleep", "2");
            first.rememberContainers(DOCKER);
            long runner = pid(first, "runner");
            long quitter = pid(first, "quitter");
            long runcRunner = pid(first, "runc-runner");
            long runcQuitter = pid(first, "runc-quitter");
            long rmQuitter = pid(first, "rm-quitter");

            first.killHard();
            assertThat(running(runner)).as("container init %d after the daemon's SIGKILL", runner).isTrue();
            // "quitter" exits while no daemon runs: the next one must find it exited.
            assertThat(running(runcRunner)).as("runc container init %d after the daemon's SIGKILL", runcRunner).isTrue();
            for (int i = 0; i < 100 && (running(quitter) || running(runcQuitter) || running(rmQuitter)); i++) {
                Thread.sleep(50);
            }
            assertThat(running(quitter)).isFalse();
            assertThat(running(runcQuitter)).isFalse();
            assertThat(running(rmQuitter)).isFalse();
            // The killed daemon's pid file stays behind; GantrydProcess waits for the new one as its readiness signal.
            Files.delete(dir.resolve("run/gantryd.pid"));

            second = new GantrydProcess(launcher, dir);
            assertThat(second.ok(DOCKER, "ps", "-a", "--format", "{{.Names}} {{.State}}").lines().sorted().toList())
                    .containsExactly("done exited", "inited running", "quitter exited", "runc-quitter exited", "runc-runner running",
                            "runner running");
            assertThat(second.ok(DOCKER, "inspect", "--format", "{{.State.ExitCode}}", "done")).isEqualTo("0\n");
            second.ok(DOCKER, "stop", "-t", "1", "runner");
            second.ok(DOCKER, "stop", "-t", "5", "inited");
            second.ok(DOCKER, "stop", "-t", "1", "runc-runner");
            assertThat(second.ok(DOCKER, "ps", "-a", "--format", "{{.Names}} {{.State}}").lines().sorted().toList())
                    .containsExactly("done exited", "inited exited", "quitter exited", "runc-quitter exited", "runc-runner exited",
                            "runner exited");
            assertThat(running(runner)).as("container init %d after stop", runner).isFalse();
            assertThat(running(runcRunner)).as("runc container init %d after stop", runcRunner).isFalse();
            assertThat(runcStateDirs(dir)).as("runc state left").isEmpty();
            // The daemon still starts new containers on the same roots.
            assertThat(second.ok(DOCKER, "run", "--rm", "busybox:it", "echo", "again")).isEqualTo("again\n");

            second.rememberContainers(DOCKER);
            assertThat(Leaks.processes(dir.resolve("root/engine"))).as("processes left unmanaged").isEmpty();
            second.ok(DOCKER, "rm", "runner", "inited", "quitter", "done", "runc-runner", "runc-quitter");
            // Eventually: a stopped container's network namespace stays pinned until its CNI DEL has run (in the background).
            GantrydNetworkTest.eventually(() -> assertThat(Mountinfo.under(dir)).as("mounts left").isEmpty());
            assertThat(Leaks.cgroups(second.containerIds())).as("cgroups left").isEmpty();
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

    /** The containers runc still keeps state for (one directory each under its --root). */
    static java.util.List<Path> runcStateDirs(Path dir) throws java.io.IOException {
        Path state = dir.resolve("run/runtimes/runc/state");
        if (!Files.isDirectory(state)) {
            return java.util.List.of();
        }
        try (var s = Files.list(state)) {
            return s.filter(Files::isDirectory).toList();
        }
    }

    private static long pid(GantrydProcess d, String name) throws Exception {
        return Long.parseLong(d.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", name).trim());
    }
}
