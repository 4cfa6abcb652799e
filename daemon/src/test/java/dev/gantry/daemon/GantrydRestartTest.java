package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.Mountinfo;
import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * SIGTERM stops gantryd cleanly, SIGKILL ends it abruptly; either way its containers keep
 * running and the next gantryd on the same roots manages them again, and records how they end.
 */
@RequiresRoot
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydRestartTest {
    private static final String DOCKER = "/usr/bin/docker";

    /** How the first daemon ends. */
    private enum Ending { SIGTERM, SIGKILL }

    /** One part of a scenario, given a daemon and the init pid of each container the first daemon ran, by name. */
    @FunctionalInterface
    private interface Step {
        void run(GantrydProcess daemon, Map<String, Long> pids) throws Exception;
    }

    /**
     * Runs {@code before} against a first daemon (with busybox imported as {@code busybox:it}),
     * ends it as {@code ending} says, runs {@code between} while no daemon runs, then {@code after}
     * against a second daemon on the same roots; both are cleaned up and their directory removed.
     */
    private static void acrossARestart(Ending ending, Step before, Step between, Step after) throws Exception {
        Path launcher = Path.of(System.getProperty("gantryd.launcher"));
        GantrydProcess first = new GantrydProcess(launcher);
        Path dir = first.dir;
        GantrydProcess second = null;
        try {
            first.importBusybox(DOCKER, "busybox:it");
            before.run(first, Map.of());
            first.rememberContainers(DOCKER);
            Map<String, Long> pids = pids(first);
            if (ending == Ending.SIGTERM) {
                assertThat(first.terminate()).isEqualTo(143);
                assertThat(dir.resolve("run/gantryd.pid")).doesNotExist();
            } else {
                first.killHard();
            }
            between.run(first, pids);
            if (ending == Ending.SIGKILL) {
                // The killed daemon's pid file stays behind; GantrydProcess waits for the new one as its readiness signal.
                Files.delete(dir.resolve("run/gantryd.pid"));
            }
            second = new GantrydProcess(launcher, dir);
            after.run(second, pids);
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
    void containersSurviveACleanShutdownAndAreAdoptedByTheNextDaemon() throws Exception {
        acrossARestart(Ending.SIGTERM,
                (first, none) -> first.ok(DOCKER, "run", "-d", "--name", "survivor", "busybox:it", "sleep", "100"),
                (first, pids) -> assertThat(running(pids.get("survivor")))
                        .as("container init %d after the daemon's shutdown", pids.get("survivor")).isTrue(),
                (second, pids) -> {
                    assertThat(second.ok(DOCKER, "ps", "--format", "{{.Names}} {{.State}}")).isEqualTo("survivor running\n");
                    second.ok(DOCKER, "stop", "-t", "1", "survivor");
                    // The adopted init is no longer the daemon's child; the kernel tells its exit status
                    // all the same (sleep as pid 1 ignores SIGTERM, so stop ends with SIGKILL: 128+9).
                    assertThat(second.ok(DOCKER, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "survivor"))
                            .isEqualTo("exited 137\n");
                    assertThat(running(pids.get("survivor"))).as("container init %d after stop", pids.get("survivor")).isFalse();
                });
    }

    @Test
    void afterKill9EveryContainerIsAccountedForAndNothingLeaks() throws Exception {
        acrossARestart(Ending.SIGKILL, (first, none) -> {
            first.ok(DOCKER, "run", "-d", "--name", "runner", "busybox:it", "sleep", "100");
            first.ok(DOCKER, "run", "-d", "--init", "--name", "inited", "busybox:it", "sleep", "100");
            first.ok(DOCKER, "run", "-d", "--name", "quitter", "busybox:it", "sleep", "2");
            first.ok(DOCKER, "run", "--name", "done", "busybox:it", "true");
            first.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "runc-runner", "busybox:it", "sleep", "100");
            first.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "runc-quitter", "busybox:it", "sleep", "2");
            // A --rm container that ends while no daemon runs is removed by the next one, as dockerd does.
            first.ok(DOCKER, "run", "-d", "--rm", "--name", "rm-quitter", "busybox:it", "sleep", "2");
        }, (first, pids) -> {
            assertThat(running(pids.get("runner"))).as("container init after the daemon's SIGKILL").isTrue();
            assertThat(running(pids.get("runc-runner"))).as("runc container init after the daemon's SIGKILL").isTrue();
            // The quitters exit while no daemon runs: the next one must find them exited.
            List<Long> quitters = List.of(pids.get("quitter"), pids.get("runc-quitter"), pids.get("rm-quitter"));
            for (int i = 0; i < 100 && anyRunning(quitters); i++) {
                Thread.sleep(50);
            }
            assertThat(anyRunning(quitters)).as("quitters still running").isFalse();
        }, (second, pids) -> {
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
            assertThat(second.ok(DOCKER, "inspect", "--format", "{{.State.ExitCode}}", "runner", "runc-runner"))
                    .as("SIGKILL after the stop timeout, told by the kernel").isEqualTo("137\n137\n");
            assertThat(running(pids.get("runner"))).as("container init after stop").isFalse();
            assertThat(running(pids.get("runc-runner"))).as("runc container init after stop").isFalse();
            assertThat(second.runcStateDirs()).as("runc state left").isEmpty();
            // The daemon still starts new containers on the same roots.
            assertThat(second.ok(DOCKER, "run", "--rm", "busybox:it", "echo", "again")).isEqualTo("again\n");

            second.rememberContainers(DOCKER);
            assertThat(Leaks.processes(second.dir.resolve("root/engine"))).as("processes left unmanaged").isEmpty();
            second.ok(DOCKER, "rm", "runner", "inited", "quitter", "done", "runc-runner", "runc-quitter");
            // Eventually: a stopped container's network namespace stays pinned until its CNI DEL has run (in the background).
            GantrydNetworkTest.eventually(() -> assertThat(Mountinfo.under(second.dir)).as("mounts left").isEmpty());
            assertThat(Leaks.cgroups(second.containerIds())).as("cgroups left").isEmpty();
        });
    }

    /**
     * Containers that outlive a SIGKILLed daemon and exit with code 7 under the next one (when
     * a file appears in a bind-mounted directory): inspect, wait and the die event report 7, as
     * dockerd's do, though the new daemon is not their parent.
     */
    @Test
    void anAdoptedContainersExitCodeIsRecordedAfterKill9() throws Exception {
        String gated = "while [ ! -e /gate/go ]; do sleep 0.1; done; exit 7";
        Path[] gate = new Path[1];
        acrossARestart(Ending.SIGKILL, (first, none) -> {
            gate[0] = Files.createDirectory(first.dir.resolve("gate"));
            String bind = gate[0] + ":/gate";
            first.ok(DOCKER, "run", "-d", "--name", "late", "-v", bind, "busybox:it", "sh", "-c", gated);
            first.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "runc-late", "-v", bind, "busybox:it", "sh", "-c", gated);
        }, (first, pids) -> {
            assertThat(running(pids.get("late"))).as("container init after the daemon's SIGKILL").isTrue();
            assertThat(running(pids.get("runc-late"))).as("runc container init after the daemon's SIGKILL").isTrue();
        }, (second, pids) -> {
            assertThat(second.ok(DOCKER, "ps", "--format", "{{.Names}} {{.State}}").lines().sorted().toList())
                    .containsExactly("late running", "runc-late running");
            long since = System.currentTimeMillis() / 1000 - 1;
            Files.createFile(gate[0].resolve("go"));
            assertThat(second.ok(DOCKER, "wait", "late", "runc-late")).isEqualTo("7\n7\n");
            assertThat(second.ok(DOCKER, "inspect", "--format", "{{.Name}} {{.State.Status}} {{.State.ExitCode}} [{{.State.Error}}]",
                    "late", "runc-late")).isEqualTo("/late exited 7 []\n/runc-late exited 7 []\n");
            long until = System.currentTimeMillis() / 1000 + 1;
            assertThat(second.ok(DOCKER, "events", "--since", Long.toString(since), "--until", Long.toString(until),
                    "--filter", "event=die", "--format", "{{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}")
                    .lines().sorted().toList()).containsExactly("late 7", "runc-late 7");
            assertThat(second.runcStateDirs()).as("runc state left").isEmpty();
            second.ok(DOCKER, "rm", "late", "runc-late");
        });
    }

    /** The init pid of every container the daemon knows, by name (0 for one that does not run). */
    private static Map<String, Long> pids(GantrydProcess d) throws Exception {
        Map<String, Long> pids = new HashMap<>();
        if (d.containerIds().isEmpty()) {
            return pids;
        }
        List<String> args = new ArrayList<>(List.of("inspect", "--format", "{{.Name}} {{.State.Pid}}"));
        args.addAll(d.containerIds());
        for (String line : d.ok(DOCKER, args.toArray(String[]::new)).lines().toList()) {
            String[] f = line.split(" ");
            pids.put(f[0].substring(1), Long.parseLong(f[1]));
        }
        return pids;
    }

    /** Alive and not a zombie: the adopted init is re-parented, and whoever is its parent now may reap it late. */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }

    private static boolean anyRunning(List<Long> pids) throws java.io.IOException {
        for (long pid : pids) {
            if (running(pid)) {
                return true;
            }
        }
        return false;
    }
}
