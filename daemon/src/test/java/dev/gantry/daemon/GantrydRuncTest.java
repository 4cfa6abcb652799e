package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydProcess.DOCKER;
import static dev.gantry.daemon.GantrydProcess.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The docker CLI's container lifecycle against gantryd with Debian's runc as the external OCI
 * runtime ({@code docker run --runtime runc}): gantryd registers runc from PATH, drives it
 * through runc's command line, and as a child subreaper collects its containers' exit status.
 */
@SharedGantryd
class GantrydRuncTest {
    private final GantrydProcess gantryd;

    GantrydRuncTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    @BeforeAll
    void runcInstalled() {
        assertThat(Path.of("/usr/sbin/runc")).as("Debian's runc").isExecutable();
    }

    @Test
    void infoListsRuncBesideTheInProcessRuntime() throws Exception {
        assertThat(gantryd.ok(DOCKER, "info", "--format", "{{json .Runtimes}} {{.DefaultRuntime}}"))
                .contains("\"runc\":{\"path\":\"/usr/sbin/runc\"}").contains("\"gantry\"").endsWith(" gantry\n");
    }

    @Test
    void runRemoveWithRuncPropagatesOutputAndExitCodes() throws Exception {
        assertThat(gantryd.ok(DOCKER, "run", "--rm", "--runtime", "runc", IMAGE, "echo", "hi")).isEqualTo("hi\n");
        var failed = gantryd.docker(DOCKER, "run", "--rm", "--runtime", "runc", IMAGE, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(failed.exitCode()).as(failed.describe()).isEqualTo(3);
        assertThat(failed.stdout()).isEqualTo("out\n");
        assertThat(failed.stderr()).contains("err\n");
        var missing = gantryd.docker(DOCKER, "run", "--rm", "--runtime", "runc", IMAGE, "no-such-command");
        assertThat(missing.exitCode()).as(missing.describe()).isEqualTo(127);
        assertThat(missing.stderr()).contains("no-such-command").contains("not found");
        assertThat(gantryd.ok(DOCKER, "ps", "-aq")).isBlank();
    }

    @Test
    void unknownRuntimeIsABadRequestAndCreatesNothing() throws Exception {
        var r = gantryd.docker(DOCKER, "run", "--rm", "--runtime", "nosuch", IMAGE, "true");
        assertThat(r.exitCode()).as(r.describe()).isEqualTo(125);
        assertThat(r.stderr()).contains("unknown runtime \"nosuch\"").contains("runc");
        Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", gantryd.socket.toString(),
                "-H", "Content-Type: application/json", "-d", "{\"Image\":\"" + IMAGE + "\",\"HostConfig\":{\"Runtime\":\"nosuch\"}}",
                "http://localhost/containers/create").start();
        assertThat(new String(curl.getInputStream().readAllBytes())).isEqualTo("400");
        assertThat(curl.waitFor()).isZero();
        assertThat(gantryd.ok(DOCKER, "ps", "-aq")).isBlank();
    }

    @Test
    void detachedLifecycleWithRunc() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "rc", IMAGE, "sh", "-c",
                "trap 'exit 5' USR1; echo started; while true; do sleep 1; done");
        try {
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.HostConfig.Runtime}} {{.State.Status}}", "rc"))
                    .isEqualTo("runc running\n");
            long pid = Long.parseLong(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", "rc").trim());
            // The init runc created is gantryd's child now (gantryd is a child subreaper).
            assertThat(parentOf(pid)).isEqualTo(gantryd.pid());
            awaitLog("rc", "started\n");
            assertThat(gantryd.ok(DOCKER, "exec", "rc", "echo", "in-exec")).isEqualTo("in-exec\n");
            assertThat(gantryd.docker(DOCKER, "exec", "rc", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
            var piped = gantryd.dockerWithInput(DOCKER, "through stdin\n", "exec", "-i", "rc", "cat");
            assertThat(piped.stdout()).as(piped.describe()).isEqualTo("through stdin\n");
            assertThat(gantryd.ok(DOCKER, "top", "rc")).contains("sleep 1");
            assertThat(gantryd.ok(DOCKER, "stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", "rc")).matches("rc [1-9]\\d*\\n");

            gantryd.ok(DOCKER, "pause", "rc");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "rc")).isEqualTo("paused\n");
            gantryd.ok(DOCKER, "unpause", "rc");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "rc")).isEqualTo("running\n");

            gantryd.ok(DOCKER, "stop", "-t", "1", "rc");
            // sh as PID 1 ignores SIGTERM: the stop ends in SIGKILL, whose status gantryd reaped itself.
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "rc")).isEqualTo("exited 137\n");
            assertThat(gantryd.runcStateDirs()).isEmpty();

            gantryd.ok(DOCKER, "start", "rc");
            awaitLog("rc", "started\nstarted\n");
            gantryd.ok(DOCKER, "kill", "-s", "USR1", "rc");
            assertThat(gantryd.ok(DOCKER, "wait", "rc")).isEqualTo("5\n");

            gantryd.ok(DOCKER, "start", "rc");
            gantryd.ok(DOCKER, "rm", "-f", "rc");
            assertThat(gantryd.docker(DOCKER, "inspect", "rc").exitCode()).isEqualTo(1);
            assertThat(gantryd.runcStateDirs()).isEmpty();
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "rc");
        }
    }

    @Test
    void terminalWithRuncGoesThroughTheConsoleSocket() throws Exception {
        // script(1) gives the CLI a terminal, so that -t is honoured.
        Process p = new ProcessBuilder("script", "-qec", "/usr/bin/docker -H unix://" + gantryd.socket
                + " run --rm -t --runtime runc " + IMAGE + " sh -c '[ -t 0 ] && echo a-tty; exit 4'", "/dev/null")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isEqualTo(4);
        assertThat(out).contains("a-tty");
    }

    @Test
    void runcJoinsTheNetworkNamespaceGantrydMadeWithLoUpAndAPublishedPort() throws Exception {
        int port = GantrydNetworkTest.freePort();
        gantryd.ok(DOCKER, "run", "-d", "--runtime", "runc", "--name", "rcnet", "-p", "127.0.0.1:" + port + ":80", IMAGE, "httpd",
                "-f", "-p", "80", "-h", "/etc");
        Path sandbox;
        try {
            sandbox = Path.of(gantryd.ok(DOCKER, "inspect", "--format", "{{.NetworkSettings.SandboxKey}}", "rcnet").trim());
            long pid = Long.parseLong(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", "rcnet").trim());
            // runc was given the pinned namespace (it brings lo up only in a namespace it makes itself).
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString())
                    .isEqualTo("net:[" + Files.getAttribute(sandbox, "unix:ino") + "]");
            assertThat(gantryd.ok(DOCKER, "exec", "rcnet", "ip", "-o", "link", "show", "lo")).contains("LOOPBACK,UP");
            assertThat(gantryd.ok(DOCKER, "exec", "rcnet", "ip", "-4", "-o", "addr", "show", "eth0")).contains(" inet ");
            String hostname = gantryd.ok(DOCKER, "inspect", "--format", "{{.Config.Hostname}}", "rcnet").trim();
            assertThat(GantrydNetworkTest.httpGet(port, "/hostname")).contains(hostname);
        } finally {
            gantryd.ok(DOCKER, "rm", "-f", "rcnet");
        }
        GantrydNetworkTest.eventually(() -> assertThat(sandbox).as("the namespace pin after rm").doesNotExist());
    }

    private static long parentOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    private void awaitLog(String name, String expected) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (gantryd.ok(DOCKER, "logs", name).equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(gantryd.ok(DOCKER, "logs", name)).isEqualTo(expected);
    }
}
