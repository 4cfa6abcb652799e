package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydProcess.DOCKER;
import static dev.gantry.daemon.GantrydProcess.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gantryd driven by the real docker CLI ({@code /usr/bin/docker} from Debian, 20.10, and
 * {@code /usr/local/bin/docker} when present): one daemon for the class, started from the
 * launcher built by {@code package}, with a busybox image imported through {@code docker import}.
 */
@SharedGantryd
class GantrydDockerCliTest {
    private final GantrydProcess gantryd;

    GantrydDockerCliTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    static boolean launcherBuilt() {
        // CI installs the docker CLI and builds the launcher: there, never hide this tier.
        if ("true".equals(System.getenv("CI"))) {
            return true;
        }
        String launcher = System.getProperty("gantryd.launcher");
        return launcher != null && Files.isExecutable(Path.of(launcher)) && Files.isExecutable(Path.of(DOCKER));
    }

    static List<String> clis() {
        return Files.isExecutable(Path.of("/usr/local/bin/docker")) ? List.of(DOCKER, "/usr/local/bin/docker") : List.of(DOCKER);
    }

    @ParameterizedTest
    @MethodSource("clis")
    void runRemovePrintsOutputAndPropagatesExitCodes(String cli) throws Exception {
        assertThat(gantryd.ok(cli, "run", "--rm", IMAGE, "echo", "hi")).isEqualTo("hi\n");
        var failed = gantryd.docker(cli, "run", "--rm", IMAGE, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(failed.exitCode()).as(failed.describe()).isEqualTo(3);
        assertThat(failed.stdout()).isEqualTo("out\n");
        assertThat(failed.stderr()).contains("err\n");
        assertThat(gantryd.ok(cli, "ps", "-aq")).isBlank();
    }

    @Test
    void detachedLifecycleWithPsLogsExecInspectStopRm() throws Exception {
        String id = gantryd.ok(DOCKER, "run", "-d", "--name", "web", IMAGE, "sh", "-c", "echo started; while true; do sleep 1; done").trim();
        try {
            assertThat(id).hasSize(64);
            assertThat(gantryd.ok(DOCKER, "ps", "--format", "{{.Names}} {{.Status}}")).startsWith("web Up");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}} {{.Name}} {{.HostConfig.NetworkMode}}", "web"))
                    .isEqualTo("running /web bridge\n");
            assertThat(gantryd.ok(DOCKER, "exec", "web", "echo", "in-exec")).isEqualTo("in-exec\n");
            assertThat(gantryd.docker(DOCKER, "exec", "web", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
            var piped = gantryd.dockerWithInput(DOCKER, "through stdin\n", "exec", "-i", "web", "cat");
            assertThat(piped.stdout()).as(piped.describe()).isEqualTo("through stdin\n");
            assertThat(gantryd.ok(DOCKER, "top", "web")).contains("sleep 1").contains("PID");
            awaitLog("web", "started\n");
            gantryd.ok(DOCKER, "stop", "-t", "1", "web");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "web")).isEqualTo("exited\n");
            gantryd.ok(DOCKER, "rm", "web");
            assertThat(gantryd.docker(DOCKER, "inspect", "web").exitCode()).isEqualTo(1);
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "web");
        }
    }

    @Test
    void initIsPidOneReapsAndForwardsStop() throws Exception {
        assertThat(gantryd.ok(DOCKER, "run", "--rm", "--init", IMAGE, "sh", "-c", "ps -o pid,comm"))
                .containsPattern("(?m)^\\s*1\\s+init$");
        gantryd.ok(DOCKER, "run", "-d", "--init", "--name", "initbox", IMAGE, "sleep", "100");
        try {
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.HostConfig.Init}}", "initbox")).isEqualTo("true\n");
            gantryd.ok(DOCKER, "stop", "-t", "30", "initbox");
            // 143 = 128 + SIGTERM: the init forwarded it to sleep; without it, the stop would end in SIGKILL (137) after 30 s.
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.ExitCode}}", "initbox")).isEqualTo("143\n");
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "initbox");
        }
    }

    @Test
    void statsNoStreamShowsCpuMemoryAndPids() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "statbox", "--memory", "64m", IMAGE, "sh", "-c", "sleep 1000 & sleep 1000 & wait");
        try {
            String row = gantryd.ok(DOCKER, "stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}", "statbox");
            String[] f = row.trim().split("\\|");
            assertThat(f).as(row).hasSize(4);
            assertThat(f[0]).isEqualTo("statbox");
            assertThat(f[1]).matches("\\d+\\.\\d\\d%");
            assertThat(f[2]).as("usage / the 64 MiB limit").matches("[0-9.]+[KMG]?i?B / 64MiB");
            assertThat(f[2]).doesNotStartWith("0B");
            assertThat(f[3]).isEqualTo("3");
            var json = gantryd.ok(DOCKER, "stats", "--no-stream", "--format", "{{json .}}", "statbox");
            assertThat(json).contains("\"PIDs\":\"3\"");
            // The streaming form: one sample a second until the client goes away (curl's --max-time).
            Process curl = new ProcessBuilder("curl", "-sN", "--max-time", "3.5", "--unix-socket", gantryd.socket.toString(),
                    "http://localhost/containers/statbox/stats").redirectErrorStream(true).start();
            String streamed = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            curl.waitFor(10, TimeUnit.SECONDS);
            assertThat(streamed.lines().filter(l -> l.contains("\"cpu_stats\"")).count()).as(streamed).isGreaterThanOrEqualTo(2);
            assertThat(streamed).contains("\"online_cpus\"").contains("\"system_cpu_usage\"").contains("\"pids_stats\":{\"current\":3");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "statbox")).as("the daemon kept serving").isEqualTo("running\n");
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "statbox");
        }
    }

    @Test
    void eventsStreamsContainerActionsAndSinceReplaysThem() throws Exception {
        String since = Long.toString(System.currentTimeMillis() / 1000 - 1);
        Process events = new ProcessBuilder(DOCKER, "-H", "unix://" + gantryd.socket, "events", "--format", "{{.Type}} {{.Action}}",
                "--filter", "type=container").redirectErrorStream(true).start();
        try {
            Thread.sleep(500);
            gantryd.ok(DOCKER, "run", "--rm", "--name", "evbox", IMAGE, "true");
            String until = Long.toString(System.currentTimeMillis() / 1000 + 1);
            StringBuilder seen = new StringBuilder();
            var in = events.getInputStream();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!seen.toString().contains("container destroy") && System.nanoTime() < deadline) {
                if (in.available() > 0) {
                    seen.append(new String(in.readNBytes(in.available()), StandardCharsets.UTF_8));
                } else {
                    Thread.sleep(20);
                }
            }
            assertThat(seen.toString().lines().toList()).as(seen.toString())
                    .containsSubsequence("container create", "container start", "container die", "container destroy");
            assertThat(events.isAlive()).as("the stream stays open until the client goes").isTrue();
            String replayed = gantryd.ok(DOCKER, "events", "--since", since, "--until", until,
                    "--filter", "container=evbox", "--format", "{{.Action}} {{.Actor.Attributes.name}}");
            assertThat(replayed.lines().toList()).containsSubsequence("create evbox", "start evbox", "die evbox", "destroy evbox");
            gantryd.ok(DOCKER, "volume", "create", "evvol");
            gantryd.ok(DOCKER, "volume", "rm", "evvol");
            gantryd.ok(DOCKER, "tag", IMAGE, "evtag:1");
            gantryd.ok(DOCKER, "rmi", "evtag:1");
            String others = gantryd.ok(DOCKER, "events", "--since", since, "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                    "--filter", "type=volume", "--filter", "type=image", "--format", "{{.Type}} {{.Action}}");
            assertThat(others.lines().toList()).as(others)
                    .containsSubsequence("volume create", "volume destroy", "image tag", "image untag");
        } finally {
            events.destroy();
            events.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void updateMemoryCpusAndPidsOfARunningContainer() throws Exception {
        String id = gantryd.ok(DOCKER, "run", "-d", "--name", "updbox", "--memory", "64m", IMAGE, "sleep", "100").trim();
        try {
            gantryd.ok(DOCKER, "update", "--memory", "128m", "--memory-swap", "256m", "--cpus", "0.5", "--pids-limit", "50", "updbox");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}", "updbox"))
                    .isEqualTo((128L << 20) + " 500000000 50\n");
            Path cg = Path.of("/sys/fs/cgroup");
            assertThat(Files.readString(cg.resolve("memory/gantry/" + id + "/memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(128L << 20));
            assertThat(Files.readString(cg.resolve("cpu/gantry/" + id + "/cpu.cfs_quota_us")).trim()).isEqualTo("50000");
            assertThat(Files.readString(cg.resolve("pids/gantry/" + id + "/pids.max")).trim()).isEqualTo("50");
            var refused = gantryd.docker(DOCKER, "update", "--memory", "1k", "updbox");
            assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
            assertThat(refused.stderr()).contains("Memory");
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "updbox");
        }
    }

    private void awaitLog(String name, String expected) throws Exception {
        String logs = "";
        for (int i = 0; i < 100 && !logs.equals(expected); i++) {
            logs = gantryd.ok(DOCKER, "logs", name);
            Thread.sleep(20);
        }
        assertThat(logs).isEqualTo(expected);
    }

    @Test
    void killPauseUnpauseCommitDiff() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "box", IMAGE, "sleep", "100");
        try {
            gantryd.ok(DOCKER, "exec", "box", "sh", "-c", "echo x > /tmp/newfile");
            assertThat(gantryd.ok(DOCKER, "diff", "box")).contains("A /tmp/newfile");
            gantryd.ok(DOCKER, "pause", "box");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "box")).isEqualTo("paused\n");
            gantryd.ok(DOCKER, "unpause", "box");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "box")).isEqualTo("running\n");
            assertThat(gantryd.ok(DOCKER, "commit", "box", "committed:1")).startsWith("sha256:");
            assertThat(gantryd.ok(DOCKER, "run", "--rm", "committed:1", "cat", "/tmp/newfile")).isEqualTo("x\n");
            gantryd.ok(DOCKER, "kill", "box");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "box"))
                    .isEqualTo("exited 137\n");
            gantryd.ok(DOCKER, "rm", "box");
            assertThat(gantryd.ok(DOCKER, "rmi", "committed:1")).contains("Untagged: committed:1");
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "box");
        }
    }

    @Test
    void cpBothWaysAndExport() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "cpbox", IMAGE, "sleep", "100");
        try {
            Path dir = Files.createDirectories(gantryd.dir.resolve("cp"));
            Path file = Files.writeString(dir.resolve("file"), "copied in\n");
            gantryd.ok(DOCKER, "cp", file.toString(), "cpbox:/tmp/");
            assertThat(gantryd.ok(DOCKER, "exec", "cpbox", "cat", "/tmp/file")).isEqualTo("copied in\n");

            Path out = dir.resolve("out");
            gantryd.ok(DOCKER, "cp", "cpbox:/etc/hostname", out.toString());
            assertThat(Files.readString(out)).isEqualTo(gantryd.ok(DOCKER, "inspect", "--format", "{{.Config.Hostname}}", "cpbox"));

            Path tree = Files.createDirectories(dir.resolve("tree/sub"));
            Files.writeString(tree.resolve("leaf"), "leaf\n");
            gantryd.ok(DOCKER, "cp", dir.resolve("tree").toString(), "cpbox:/tmp/");
            assertThat(gantryd.ok(DOCKER, "exec", "cpbox", "cat", "/tmp/tree/sub/leaf")).isEqualTo("leaf\n");

            gantryd.ok(DOCKER, "exec", "cpbox", "sh", "-c", "mkdir -p /made/inner && echo made > /made/inner/m && ln -s / /made/root");
            gantryd.ok(DOCKER, "cp", "cpbox:/made", dir.resolve("back").toString());
            assertThat(Files.readString(dir.resolve("back/inner/m"))).isEqualTo("made\n");
            assertThat(Files.readSymbolicLink(dir.resolve("back/root"))).isEqualTo(Path.of("/"));

            // A link to / inside the container leads to the container's root, never the host's.
            gantryd.ok(DOCKER, "exec", "cpbox", "sh", "-c", "ln -s / /etc/evil && echo container shadow > /etc/shadow");
            gantryd.ok(DOCKER, "cp", "cpbox:/etc/evil/etc/shadow", dir.resolve("shadow").toString());
            assertThat(Files.readString(dir.resolve("shadow"))).isEqualTo("container shadow\n");
            var escape = gantryd.docker(DOCKER, "cp", "cpbox:/etc/evil" + dir.resolve("file"), dir.resolve("escaped").toString());
            assertThat(escape.exitCode()).as(escape.describe()).isNotZero();
            assertThat(dir.resolve("escaped")).doesNotExist();

            var missing = gantryd.docker(DOCKER, "cp", "cpbox:/no/such", dir.resolve("x").toString());
            assertThat(missing.exitCode()).as(missing.describe()).isNotZero();
            assertThat(missing.stderr()).contains("No such container:path: cpbox:/no/such");

            gantryd.ok(DOCKER, "stop", "-t", "0", "cpbox");
            Path exported = dir.resolve("export.tar");
            gantryd.ok(DOCKER, "export", "-o", exported.toString(), "cpbox");
            Process tar = new ProcessBuilder("tar", "tf", exported.toString()).redirectErrorStream(true).start();
            String listing = new String(tar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(tar.waitFor()).isZero();
            assertThat(listing).contains("bin/busybox\n", "tmp/file\n", "tmp/tree/sub/leaf\n");
            // Eventually: the stopped container's network namespace stays pinned until its CNI DEL has run (in the background).
            GantrydNetworkTest.eventually(() ->
                    assertThat(dev.gantry.testkit.Mountinfo.under(gantryd.dir)).as("rootfs mounted for export, then unmounted").isEmpty());
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "cpbox");
        }
    }

    @Test
    void imagesTagRmiAndSystemDf() throws Exception {
        gantryd.ok(DOCKER, "tag", IMAGE, "other:2");
        assertThat(gantryd.ok(DOCKER, "images", "--format", "{{.Repository}}:{{.Tag}}")).contains("busybox:it", "other:2");
        assertThat(gantryd.ok(DOCKER, "rmi", "other:2")).contains("Untagged: other:2");
        assertThat(gantryd.ok(DOCKER, "images", "--format", "{{.Repository}}:{{.Tag}}")).doesNotContain("other:2");
        assertThat(gantryd.ok(DOCKER, "system", "df")).contains("Images", "Containers", "Local Volumes");
        Path saved = gantryd.dir.resolve("saved.tar");
        gantryd.ok(DOCKER, "tag", IMAGE, "roundtrip:1");
        gantryd.ok(DOCKER, "save", "-o", saved.toString(), "roundtrip:1");
        gantryd.ok(DOCKER, "rmi", "roundtrip:1");
        assertThat(gantryd.ok(DOCKER, "load", "-i", saved.toString())).contains("Loaded image: roundtrip:1");
        assertThat(gantryd.ok(DOCKER, "run", "--rm", "roundtrip:1", "echo", "loaded")).isEqualTo("loaded\n");
        gantryd.ok(DOCKER, "rmi", "roundtrip:1");
        var search = gantryd.docker(DOCKER, "search", "busybox");
        assertThat(search.exitCode()).isNotZero();
        assertThat(search.stderr()).contains("not supported offline");
    }

    @Test
    void volumesNamedAndBind() throws Exception {
        gantryd.ok(DOCKER, "volume", "create", "vol1");
        assertThat(gantryd.ok(DOCKER, "volume", "ls", "--format", "{{.Name}}")).contains("vol1");
        gantryd.ok(DOCKER, "run", "--rm", "-v", "vol1:/data", IMAGE, "sh", "-c", "echo kept > /data/f");
        assertThat(gantryd.ok(DOCKER, "run", "--rm", "-v", "vol1:/data", IMAGE, "cat", "/data/f")).isEqualTo("kept\n");
        gantryd.ok(DOCKER, "volume", "rm", "vol1");
        assertThat(gantryd.ok(DOCKER, "volume", "ls", "--format", "{{.Name}}")).doesNotContain("vol1");
        Path bind = Files.createDirectories(gantryd.dir.resolve("bind"));
        Files.writeString(bind.resolve("f"), "from host\n");
        assertThat(gantryd.ok(DOCKER, "run", "--rm", "-v", bind + ":/b", IMAGE, "cat", "/b/f")).isEqualTo("from host\n");
    }

    @Test
    void restartRenameFollowedLogsAndTimestamps() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "counter", IMAGE, "sh", "-c", "echo one; sleep 0.3; echo two");
        try {
            assertThat(gantryd.ok(DOCKER, "logs", "-f", "counter")).isEqualTo("one\ntwo\n");
            assertThat(gantryd.ok(DOCKER, "logs", "--tail", "1", "--timestamps", "counter")).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z two\n");
            gantryd.ok(DOCKER, "rename", "counter", "renamed");
            gantryd.ok(DOCKER, "restart", "renamed");
            assertThat(gantryd.ok(DOCKER, "wait", "renamed")).isEqualTo("0\n");
            assertThat(gantryd.ok(DOCKER, "logs", "renamed")).isEqualTo("one\ntwo\none\ntwo\n");
            assertThat(gantryd.docker(DOCKER, "inspect", "counter").exitCode()).isEqualTo(1);
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "counter");
            gantryd.docker(DOCKER, "rm", "-f", "renamed");
        }
    }

    @ParameterizedTest
    @MethodSource("clis")
    void runWithStdinPipesItToTheContainer(String cli) throws Exception {
        var echoed = gantryd.dockerWithInput(cli, "hello\n", "run", "-i", "--rm", IMAGE, "cat");
        assertThat(echoed.exitCode()).as(echoed.describe()).isZero();
        assertThat(echoed.stdout()).isEqualTo("hello\n");
        var read = gantryd.dockerWithInput(cli, "abc\n", "run", "-i", "--rm", IMAGE, "sh", "-c", "read x; echo got:$x");
        assertThat(read.exitCode()).as(read.describe()).isZero();
        assertThat(read.stdout()).isEqualTo("got:abc\n");
    }

    /** The CLI under script(1), so that it has a terminal as a user's shell would give it. */
    private Process underTerminal(String cli, String dockerArgs) throws IOException {
        String cmd = cli + " -H unix://" + gantryd.socket + " " + dockerArgs;
        return new ProcessBuilder("script", "-qfec", cmd, "/dev/null").redirectErrorStream(true).start();
    }

    /** Reads the process's output until it contains {@code expected} (or it ends); returns what was read. */
    private static String readUntil(Process p, StringBuilder seen, String expected) throws IOException {
        byte[] buf = new byte[4096];
        var in = p.getInputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!seen.toString().contains(expected) && System.nanoTime() < deadline) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    @ParameterizedTest
    @MethodSource("clis")
    void runInteractiveWithATerminal(String cli) throws Exception {
        Process p = underTerminal(cli, "run -it --rm " + IMAGE + " sh");
        try {
            var in = p.getOutputStream();
            in.write("echo hi-$((6*7))\r".getBytes(StandardCharsets.UTF_8));
            in.flush();
            StringBuilder seen = new StringBuilder();
            assertThat(readUntil(p, seen, "hi-42\r\n")).contains("hi-42\r\n");
            in.write("exit\r".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(seen.toString()).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /** A working directory the image lacks is created (root, 0755), as dockerd does; one through a file is refused. */
    @Test
    void runCreatesAMissingWorkingDirectory() throws Exception {
        assertThat(gantryd.ok(DOCKER, "run", "--rm", "-w", "/made/by/run", IMAGE, "sh", "-c", "pwd; stat -c %a:%u /made/by"))
                .isEqualTo("/made/by/run\n755:0\n");
        var refused = gantryd.docker(DOCKER, "run", "--rm", "-w", "/bin/sh/x", IMAGE, "true");
        assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
        assertThat(refused.stderr()).contains("/bin/sh/x");
    }

    /** docker exec -it: keys typed on the terminal reach the shell in the container's pty. */
    @ParameterizedTest
    @MethodSource("clis")
    void execInteractiveWithATerminal(String cli) throws Exception {
        gantryd.ok(cli, "run", "-d", "--name", "exec-it", IMAGE, "sleep", "1000");
        try {
            Process p = underTerminal(cli, "exec -it exec-it sh");
            try {
                var in = p.getOutputStream();
                in.write("echo ex-$((6*7)); tty\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                StringBuilder seen = new StringBuilder();
                assertThat(readUntil(p, seen, "ex-42\r\n")).contains("ex-42\r\n");
                assertThat(readUntil(p, seen, "/dev/pts/")).contains("/dev/pts/");
                in.write("exit 7\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(seen.toString()).isTrue();
            } finally {
                p.destroyForcibly().waitFor();
            }
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "exec-it")).isEqualTo("running\n");
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "exec-it");
        }
    }

    @ParameterizedTest
    @MethodSource("clis")
    void attachThenDetachKeysLeaveTheContainerRunning(String cli) throws Exception {
        gantryd.ok(cli, "run", "-dit", "--name", "att", IMAGE, "sh");
        try {
            Process p = underTerminal(cli, "attach att");
            try {
                var in = p.getOutputStream();
                in.write("echo att-$((6*7))\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                StringBuilder seen = new StringBuilder();
                assertThat(readUntil(p, seen, "att-42\r\n")).contains("att-42\r\n");
                in.write(new byte[] {16, 17});
                in.flush();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(seen.toString()).isTrue();
            } finally {
                p.destroyForcibly().waitFor();
            }
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "att")).isEqualTo("running\n");
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "att");
        }
    }

    @Test
    void startAttachedWithStdin() throws Exception {
        gantryd.ok(DOCKER, "create", "-i", "--name", "later", IMAGE, "sh", "-c", "read x; echo later:$x");
        try {
            var r = gantryd.dockerWithInput(DOCKER, "xyz\n", "start", "-a", "-i", "later");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stdout()).isEqualTo("later:xyz\n");
        } finally {
            gantryd.rememberContainers(DOCKER);
            gantryd.docker(DOCKER, "rm", "-f", "later");
        }
    }
}
