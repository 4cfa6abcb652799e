package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.Mountinfo;
import dev.gantry.testkit.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restart policies applied again when gantryd starts, as Docker documents them
 * (docs.docker.com/engine/containers/start-containers-automatically): {@code always} starts
 * again even a container the user stopped; {@code unless-stopped} starts again unless the user
 * stopped it; {@code on-failure[:N]} starts again a container that failed while no daemon ran,
 * within its retry count; {@code no} and a container never started stay as they are. Gantry's
 * containers outlive the daemon, so the ones whose process ended while no daemon ran are what
 * the policies apply to: the test kills those inits between the two daemons. As dockerd's
 * start does, a container started again this way has its RestartCount reset to 0.
 */
@RequiresRoot
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydRestartPolicyTest {
    private static final String DOCKER = "/usr/bin/docker";
    private static final String IMAGE = "busybox:it";
    /** Fails the first time (RestartCount becomes 1), then runs; the marker lives in a bind mount. */
    private static final String FAILS_ONCE = "[ -e /m/once ] || { touch /m/once; exit 3; }; exec sleep 1000";
    /** Fails three times (RestartCount becomes 3, on-failure:3 is spent), then runs. */
    private static final String FAILS_THRICE = "n=$(cat /m/n 2>/dev/null || echo 0); echo $((n+1)) > /m/n; [ $n -ge 3 ] || exit 3; exec sleep 1000";

    /** How the first daemon ends. */
    enum Ending { SIGTERM, SIGKILL }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void policiesApplyWhenTheDaemonStartsAgain(Ending ending) throws Exception {
        Path launcher = Path.of(System.getProperty("gantryd.launcher"));
        GantrydProcess first = new GantrydProcess(launcher);
        Path dir = first.dir;
        GantrydProcess second = null;
        try {
            first.importBusybox(DOCKER, IMAGE);
            run(first, "always", "always", "sleep", "1000");
            run(first, "always-survivor", "always", "sleep", "1000");
            run(first, "always-stopped", "always", "sleep", "1000");
            runWithMarker(first, "always-counted", "always", FAILS_ONCE);
            run(first, "us-running", "unless-stopped", "sleep", "1000");
            run(first, "us-stopped", "unless-stopped", "sleep", "1000");
            run(first, "onfail", "on-failure:3", "sleep", "1000");
            runWithMarker(first, "onfail-spent", "on-failure:3", FAILS_THRICE);
            run(first, "no-killed", "no", "sleep", "1000");
            first.ok(DOCKER, "run", "--name", "no-done", "--restart", "no", IMAGE, "true");
            first.ok(DOCKER, "create", "--name", "never-started", "--restart", "always", IMAGE, "sleep", "1000");
            first.ok(DOCKER, "stop", "-t", "0", "always-stopped", "us-stopped");
            awaitState(first, "always-counted", "running 1");
            awaitState(first, "onfail-spent", "running 3");
            first.rememberContainers(DOCKER);
            Map<String, Long> pids = new HashMap<>();
            for (String name : List.of("always", "always-survivor", "always-counted", "us-running", "onfail", "onfail-spent", "no-killed")) {
                pids.put(name, pid(first, name));
            }

            if (ending == Ending.SIGTERM) {
                assertThat(first.terminate()).isEqualTo(143);
            } else {
                first.killHard();
                // The killed daemon's pid file stays; GantrydProcess waits for the next one's as its readiness signal.
                Files.delete(dir.resolve("run/gantryd.pid"));
            }
            // While no daemon runs, every init but the survivor's ends (as a crash or the OOM killer would end it).
            for (String name : List.of("always", "always-counted", "us-running", "onfail", "onfail-spent", "no-killed")) {
                assertThat(alive(pids.get(name))).as("%s's init after the daemon ended", name).isTrue();
                ProcessHandle.of(pids.get(name)).ifPresent(ProcessHandle::destroyForcibly);
            }
            for (String name : List.of("always", "always-counted", "us-running", "onfail", "onfail-spent", "no-killed")) {
                for (int i = 0; i < 200 && alive(pids.get(name)); i++) {
                    Thread.sleep(25);
                }
                assertThat(alive(pids.get(name))).as("%s's init after SIGKILL", name).isFalse();
            }

            second = new GantrydProcess(launcher, dir);
            for (String name : List.of("always", "always-counted", "always-stopped", "us-running", "onfail")) {
                assertThat(state(second, name)).as("%s after the daemon started", name).isEqualTo("running 0");
            }
            assertThat(state(second, "always-survivor")).isEqualTo("running 0");
            assertThat(pid(second, "always-survivor")).as("the survivor is managed again, not started twice")
                    .isEqualTo(pids.get("always-survivor"));
            for (String name : List.of("always", "always-counted", "us-running", "onfail")) {
                long pid = pid(second, name);
                assertThat(pid).as("%s's new init", name).isNotEqualTo(pids.get(name));
                assertThat(alive(pid)).as("%s's new init %d", name, pid).isTrue();
            }
            assertThat(second.ok(DOCKER, "ps", "--format", "{{.Names}}").lines().sorted().toList())
                    .containsExactly("always", "always-counted", "always-stopped", "always-survivor", "onfail", "us-running");
            assertThat(second.ok(DOCKER, "ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}").lines().sorted().toList())
                    .containsExactly("no-done", "no-killed", "onfail-spent", "us-stopped");
            // An init that ended while no daemon ran was nobody's child to reap: its status is lost, recorded as 255.
            assertThat(state(second, "onfail-spent")).as("on-failure:3 after three restarts").isEqualTo("exited 255");
            assertThat(state(second, "no-killed")).isEqualTo("exited 255");
            assertThat(state(second, "no-done")).isEqualTo("exited 0");
            assertThat(state(second, "us-stopped")).as("sleep ignores SIGTERM: stop -t 0 kills it").isEqualTo("exited 137");
            assertThat(second.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "never-started")).isEqualTo("created\n");

            // The restarted container is managed: when its init dies now, its policy starts it again.
            long again = pid(second, "always");
            ProcessHandle.of(again).ifPresent(ProcessHandle::destroyForcibly);
            awaitState(second, "always", "running 1");
            assertThat(pid(second, "always")).isNotEqualTo(again);

            second.rememberContainers(DOCKER);
            for (String id : second.containerIds()) {
                second.ok(DOCKER, "rm", "-f", id);
            }
            assertThat(Leaks.processes(dir.resolve("root/engine"))).as("processes left").isEmpty();
            GantrydNetworkTest.eventually(() -> assertThat(Mountinfo.under(dir)).as("mounts left").isEmpty());
            assertThat(Leaks.cgroups(second.containerIds())).as("cgroups left").isEmpty();
        } finally {
            if (second != null) {
                second.rememberContainers(DOCKER);
                second.containerIds().addAll(first.containerIds());
                second.close();
            } else {
                first.close();
            }
        }
        assertThat(dir).doesNotExist();
    }

    private static void run(GantrydProcess d, String name, String policy, String... cmd) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", name, "--restart", policy, IMAGE));
        args.addAll(List.of(cmd));
        d.ok(DOCKER, args.toArray(String[]::new));
    }

    /** Runs {@code script} with a fresh host directory bind-mounted at /m, for the markers that count its runs. */
    private static void runWithMarker(GantrydProcess d, String name, String policy, String script) throws Exception {
        Path marker = Files.createDirectories(d.dir.resolve("markers/" + name));
        d.ok(DOCKER, "run", "-d", "--name", name, "--restart", policy, "-v", marker + ":/m", IMAGE, "sh", "-c", script);
    }

    /** Running containers: "running RestartCount"; others: "status ExitCode". */
    private static String state(GantrydProcess d, String name) throws Exception {
        return d.ok(DOCKER, "inspect", "--format",
                "{{.State.Status}} {{if .State.Running}}{{.RestartCount}}{{else}}{{.State.ExitCode}}{{end}}", name).trim();
    }

    private static void awaitState(GantrydProcess d, String name, String expected) throws Exception {
        String s = state(d, name);
        for (int i = 0; i < 200 && !s.equals(expected); i++) {
            Thread.sleep(25);
            s = state(d, name);
        }
        assertThat(s).as("state of %s", name).isEqualTo(expected);
    }

    private static long pid(GantrydProcess d, String name) throws Exception {
        return Long.parseLong(d.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", name).trim());
    }

    /** Alive and not a zombie. */
    private static boolean alive(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        try {
            String s = Files.readString(stat);
            return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }
}
