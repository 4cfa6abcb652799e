package dev.gantry.cli;

import static dev.gantry.cli.PrivateGantryd.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code gantry} launcher against a private gantryd, one test per command family,
 * checking output and exit codes.
 */
@SharedPrivateGantryd
class GantryLauncherTest {
    private final PrivateGantryd d;

    GantryLauncherTest(PrivateGantryd d) {
        this.d = d;
    }

    @Test
    void runPrintsOutputAndPropagatesExitCodes() throws Exception {
        assertThat(d.ok("run", "--rm", IMAGE, "echo", "hi")).isEqualTo("hi\n");
        var failed = d.gantry("run", "--rm", IMAGE, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(failed.code()).as(failed.describe()).isEqualTo(3);
        assertThat(failed.out()).isEqualTo("out\n");
        assertThat(failed.err()).isEqualTo("err\n");
        var missing = d.gantry("run", "--rm", IMAGE, "no-such-program");
        assertThat(missing.code()).as(missing.describe()).isEqualTo(127);
        assertThat(missing.err().lines().count()).isEqualTo(1);
        assertThat(d.gantry("run", "--rm", IMAGE, "/etc").code()).isEqualTo(126);
        var piped = d.gantryWithInput("line one\nline two\n", "run", "--rm", "-i", IMAGE, "sh", "-c", "wc -l");
        assertThat(piped.out().trim()).as(piped.describe()).isEqualTo("2");
        assertThat(d.ok("ps", "-aq")).as("--rm left nothing, also after failed starts").isBlank();
    }

    @Test
    void detachedLifecycleThroughPsLogsExecInspectTopPauseRenameStopWaitRm() throws Exception {
        String id = d.ok("run", "-d", "--name", "life", "--label", "tier=web", IMAGE, "sh", "-c", "echo started; echo oops >&2; while true; do sleep 1; done").trim();
        assertThat(id).hasSize(64);
        String ps = d.ok("ps");
        assertThat(ps.lines().findFirst().orElseThrow()).matches("CONTAINER ID   IMAGE        COMMAND                  CREATED +STATUS +PORTS     NAMES");
        assertThat(ps).containsPattern(id.substring(0, 12) + "   busybox:it   \"sh -c .{13}…\"   ");
        assertThat(d.ok("ps", "--format", "{{.Names}} {{.Label \"tier\"}} {{.State}}")).isEqualTo("life web running\n");
        assertThat(d.ok("ps", "-q", "--no-trunc")).isEqualTo(id + "\n");
        assertThat(d.ok("ps", "--format", "table {{.Names}}\\t{{.Image}}")).isEqualTo("NAMES     IMAGE\nlife      busybox:it\n");
        assertThat(Json.parseObject(d.ok("ps", "--format", "{{json .}}").strip())).containsEntry("Names", "life");
        assertThat(d.ok("inspect", "--format", "{{.State.Status}} {{.Name}} {{index .Config.Labels \"tier\"}}", "life")).isEqualTo("running /life web\n");
        assertThat(Json.parse(d.ok("inspect", "life"))).asList().hasSize(1);
        awaitOutput("life", "started\n");
        var logs = d.gantry("logs", "life");
        assertThat(logs.out()).isEqualTo("started\n");
        assertThat(logs.err()).isEqualTo("oops\n");
        var last = d.gantry("logs", "-t", "--tail", "1", "life");
        assertThat(last.out() + last.err()).as("one entry, timestamped, on its own stream")
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z (started|oops)\n");
        assertThat(d.ok("exec", "-e", "X=42", "-w", "/tmp", "life", "sh", "-c", "echo $X $(pwd)")).isEqualTo("42 /tmp\n");
        assertThat(d.gantry("exec", "life", "sh", "-c", "exit 7").code()).isEqualTo(7);
        assertThat(d.gantryWithInput("through stdin\n", "exec", "-i", "life", "cat").out()).isEqualTo("through stdin\n");
        assertThat(d.ok("top", "life")).contains("PID").contains("sleep 1");
        assertThat(d.ok("pause", "life")).isEqualTo("life\n");
        assertThat(d.ok("inspect", "--format", "{{.State.Status}}", "life")).isEqualTo("paused\n");
        d.ok("unpause", "life");
        d.ok("rename", "life", "life2");
        assertThat(d.ok("ps", "--format", "{{.Names}}")).isEqualTo("life2\n");
        assertThat(d.ok("stop", "-t", "1", "life2")).isEqualTo("life2\n");
        assertThat(d.ok("wait", "life2")).isEqualTo("137\n");
        assertThat(d.ok("ps", "-a", "--format", "{{.Status}}")).startsWith("Exited (137)");
        assertThat(d.ok("rm", "life2")).isEqualTo("life2\n");
        var gone = d.gantry("rm", "life2");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).startsWith("Error response from daemon: ").contains("life2");
    }

    @Test
    void runFlagsGantrydHonoursToday(@TempDir Path host) throws Exception {
        // The container's user 1234 must be able to enter the bind-mounted directory.
        Files.setPosixFilePermissions(host, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(host.resolve("in.txt"), "from host\n");
        Path envFile = host.resolve("env");
        Files.writeString(envFile, "FROM_FILE=1\n");
        String out = d.ok("run", "--rm", "-e", "A=b c", "--env-file", envFile.toString(), "-u", "1234:5678", "-w", "/tmp",
                "--hostname", "boxy", "-v", host + ":/hostdir:ro", "--network", "none", IMAGE,
                "sh", "-c", "echo $A $FROM_FILE; id -u; id -g; pwd; hostname; cat /hostdir/in.txt; ls /sys/class/net");
        assertThat(out.lines().toList()).containsExactly("b c 1", "1234", "5678", "/tmp", "boxy", "from host", "lo");
        assertThat(d.gantry("run", "--rm", "-v", host + ":/hostdir:ro", IMAGE, "touch", "/hostdir/x").code()).isEqualTo(1);
        assertThat(d.ok("run", "--rm", "--network", "host", IMAGE, "ls", "/sys/class/net").lines().count()).as("the host's interfaces")
                .isEqualTo(Files.list(Path.of("/sys/class/net")).count());
        d.ok("volume", "create", "flagvol");
        d.ok("run", "--rm", "-v", "flagvol:/data", IMAGE, "sh", "-c", "echo kept > /data/f");
        assertThat(d.ok("run", "--rm", "--read-only", "-v", "flagvol:/data", "--entrypoint", "cat", IMAGE, "/data/f")).isEqualTo("kept\n");
        assertThat(d.gantry("run", "--rm", "--read-only", IMAGE, "touch", "/x").code()).isEqualTo(1);
        assertThat(d.ok("run", "--rm", "--init", IMAGE, "sh", "-c", "ps -o pid,comm")).containsPattern("(?m)^\\s*1\\s+init$");
        String created = d.ok("create", "--name", "made", "--memory", "64m", "--pids-limit", "20", "--restart", "on-failure:2", IMAGE, "true").trim();
        assertThat(d.ok("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}} {{.State.Status}}",
                created)).isEqualTo((64L << 20) + " 20 on-failure created\n");
        assertThat(d.ok("start", "made")).isEqualTo("made\n");
        assertThat(d.ok("wait", "made")).isEqualTo("0\n");
        d.ok("rm", "made");
        d.ok("volume", "rm", "flagvol");
    }

    @Test
    void filesystemCommandsCopyDiffExportCommitUpdate(@TempDir Path host) throws Exception {
        d.ok("run", "-d", "--name", "fs", "--memory", "64m", IMAGE, "sleep", "1000");
        Files.writeString(host.resolve("hello.txt"), "hello\n");
        d.ok("cp", host.resolve("hello.txt").toString(), "fs:/tmp/renamed.txt");
        d.ok("cp", host.resolve("hello.txt").toString(), "fs:/tmp");
        assertThat(d.ok("exec", "fs", "cat", "/tmp/renamed.txt", "/tmp/hello.txt")).isEqualTo("hello\nhello\n");
        d.ok("cp", "fs:/tmp/renamed.txt", host.resolve("back.txt").toString());
        assertThat(Files.readString(host.resolve("back.txt"))).isEqualTo("hello\n");
        Files.createDirectory(host.resolve("into"));
        d.ok("cp", "fs:/etc", host.resolve("into").toString());
        assertThat(host.resolve("into/etc")).isDirectory();
        var tarOut = PrivateGantryd.exec(List.of("sh", "-c", "\"$0\" -H unix://$1 cp fs:/tmp/renamed.txt - | tar -tf -", PrivateGantryd.GANTRY,
                d.socket.toString()), java.util.Map.of(), null);
        assertThat(tarOut.out()).as("cp to - writes a tar stream: " + tarOut.describe()).isEqualTo("renamed.txt\n");
        var tarIn = PrivateGantryd.exec(List.of("sh", "-c", "tar -C \"$2\" -cf - hello.txt | \"$0\" -H unix://$1 cp - fs:/root", PrivateGantryd.GANTRY,
                d.socket.toString(), host.toString()), java.util.Map.of(), null);
        assertThat(tarIn.code()).as(tarIn.describe()).isZero();
        assertThat(d.ok("exec", "fs", "cat", "/root/hello.txt")).isEqualTo("hello\n");
        assertThat(d.ok("diff", "fs")).contains("A /tmp/renamed.txt").contains("C /tmp");
        Path tar = host.resolve("fs.tar");
        d.ok("export", "-o", tar.toString(), "fs");
        Process list = new ProcessBuilder("tar", "-tf", tar.toString()).start();
        assertThat(new String(list.getInputStream().readAllBytes())).contains("bin/busybox").contains("tmp/renamed.txt");
        assertThat(list.waitFor()).isZero();
        assertThat(d.ok("commit", "fs", "committed:1")).startsWith("sha256:");
        assertThat(d.ok("run", "--rm", "committed:1", "cat", "/tmp/renamed.txt")).isEqualTo("hello\n");
        assertThat(d.ok("update", "--memory", "128m", "--pids-limit", "30", "fs")).isEqualTo("fs\n");
        assertThat(d.ok("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}", "fs")).isEqualTo((128L << 20) + " 30\n");
        String stats = d.ok("stats", "--no-stream", "fs");
        assertThat(stats.lines().findFirst().orElseThrow()).startsWith("CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT");
        assertThat(stats).containsPattern("fs\\s+\\d+\\.\\d\\d%\\s+[0-9.]+[KMG]?i?B / 128MiB");
        assertThat(d.ok("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", "fs")).isEqualTo("fs 1\n");
        var streamed = PrivateGantryd.exec(List.of("timeout", "3.5", PrivateGantryd.GANTRY, "-H", "unix://" + d.socket, "stats", "--format",
                "{{.Name}}", "fs"), java.util.Map.of(), null);
        assertThat(streamed.out().lines().filter("fs"::equals).count()).as("redrawn every second: " + streamed.describe()).isGreaterThanOrEqualTo(2);
        assertThat(d.ok("port", "fs")).isEmpty();
        d.ok("rm", "-f", "fs");
        d.ok("rmi", "committed:1");
    }

    @Test
    void imageCommands(@TempDir Path host) throws Exception {
        assertThat(d.ok("images").lines().findFirst().orElseThrow()).matches("REPOSITORY {3}TAG {7}IMAGE ID {7}CREATED {3,}SIZE");
        assertThat(d.ok("images", "--format", "{{.Repository}}:{{.Tag}}")).contains("busybox:it");
        assertThat(d.ok("tag", IMAGE, "retagged:v2")).isEmpty();
        assertThat(d.ok("images", "-q", "retagged").lines().toList()).isNotEmpty().allMatch(l -> l.matches("[0-9a-f]{12}"));
        assertThat(d.ok("history", "retagged:v2")).startsWith("IMAGE").contains("CREATED BY");
        assertThat(d.ok("inspect", "--format", "{{index .RepoTags 0}}", "retagged:v2")).isNotBlank();
        Path saved = host.resolve("saved.tar");
        d.ok("save", "-o", saved.toString(), "retagged:v2");
        assertThat(Files.size(saved)).isGreaterThan(1000);
        assertThat(d.ok("rmi", "retagged:v2")).contains("Untagged: retagged:v2");
        assertThat(d.gantry("image", "inspect", "retagged:v2").code()).isEqualTo(1);
        assertThat(d.ok("load", "-i", saved.toString())).contains("retagged:v2");
        assertThat(d.ok("image", "ls", "--format", "{{.Repository}}")).contains("retagged");
        d.ok("image", "rm", "retagged:v2");
        var pull = d.gantry("pull", "127.0.0.1:1/nothing:here");
        assertThat(pull.code()).isEqualTo(1);
        assertThat(pull.err()).startsWith("Error response from daemon: ");
    }

    @Test
    void pushAndPullThroughALocalRegistry(@TempDir Path dir) throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(dir, "")) {
            String ref = registry.host() + "/cli/bb:1";
            d.ok("tag", IMAGE, ref);
            var push = d.gantry("push", ref);
            assertThat(push.code()).as(push.describe()).isZero();
            assertThat(push.out()).as("piped: plain lines, no cursor movement").doesNotContain("\033[").contains("Pushed")
                    .containsPattern("digest: sha256:[0-9a-f]{64}");
            d.ok("rmi", ref);
            var pull = d.gantry("pull", ref);
            assertThat(pull.code()).as(pull.describe()).isZero();
            assertThat(pull.out()).doesNotContain("\033[").contains("Digest: sha256:").contains(ref);
            assertThat(d.ok("pull", "-q", ref)).isEqualTo(ref + "\n");
            assertThat(d.ok("run", "--rm", ref, "echo", "pulled")).isEqualTo("pulled\n");
            d.ok("rmi", ref);
            var run = d.gantry("run", "--rm", ref, "echo", "pulled-by-run");
            assertThat(run.out()).as(run.describe()).isEqualTo("pulled-by-run\n");
            assertThat(run.err()).startsWith("Unable to find image '" + ref + "' locally");
            d.ok("rmi", ref);
            var missing = d.gantry("pull", registry.host() + "/cli/absent:1");
            assertThat(missing.code()).isEqualTo(1);
            assertThat(missing.err()).startsWith("Error response from daemon: ");
        }
    }

    @Test
    void volumesAndNetworks() throws Exception {
        assertThat(d.ok("volume", "create", "--label", "k=v", "vol1")).isEqualTo("vol1\n");
        assertThat(d.ok("volume", "ls")).contains("DRIVER    VOLUME NAME").contains("local     vol1");
        assertThat(d.ok("volume", "ls", "-q")).contains("vol1");
        assertThat(d.ok("volume", "inspect", "--format", "{{.Name}} {{.Driver}} {{.Labels.k}}", "vol1")).isEqualTo("vol1 local v\n");
        assertThat(d.ok("volume", "rm", "vol1")).isEqualTo("vol1\n");
        assertThat(d.gantry("volume", "inspect", "vol1").code()).isEqualTo(1);
        String nets = d.ok("network", "ls");
        assertThat(nets.lines().findFirst().orElseThrow()).isEqualTo("NETWORK ID     NAME      DRIVER    SCOPE");
        assertThat(nets).contains("none").contains("host");
        assertThat(d.ok("network", "inspect", "--format", "{{.Name}} {{.Driver}}", "host")).isEqualTo("host host\n");
        assertThat(d.ok("network", "ls", "--format", "{{.Name}}", "--filter", "name=none")).isEqualTo("none\n");
    }

    @Test
    void systemCommands() throws Exception {
        assertThat(d.ok("version")).contains("Client:").contains("Server:").contains("API version:      1.47");
        assertThat(d.ok("version", "--format", "{{.Server.ApiVersion}}")).isEqualTo("1.47\n");
        assertThat(d.ok("info")).contains("Containers:").contains("Images:");
        assertThat(d.ok("info", "--format", "{{.OSType}}")).isEqualTo("linux\n");
        assertThat(d.ok("system", "df")).contains("TYPE").contains("Images").contains("Local Volumes");
        String since = Long.toString(System.currentTimeMillis() / 1000 - 1);
        d.ok("run", "--rm", "--name", "evbox", IMAGE, "true");
        // --until a few seconds ahead: gantryd replays nothing once until has passed (reported), and a
        // JVM start under load can outlast a one-second margin.
        String until = Long.toString(System.currentTimeMillis() / 1000 + 3);
        String events = d.ok("events", "--since", since, "--until", until, "--filter", "container=evbox", "--format", "{{.Action}} {{.Actor.Attributes.name}}");
        assertThat(events.lines().toList()).containsSubsequence("create evbox", "start evbox", "die evbox", "destroy evbox");
        var plainRun = d.gantry("events", "--since", since, "--until", Long.toString(System.currentTimeMillis() / 1000 + 3), "--filter", "container=evbox");
        String plain = plainRun.out();
        assertThat(plain).as(plainRun.describe() + " since " + since + " now " + System.currentTimeMillis()).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z container create [0-9a-f]{64} \\(.*name=evbox.*\\)$");
    }

    @Test
    void followingLogsAndEventsAndPruning() throws Exception {
        d.ok("run", "-d", "--name", "follow", IMAGE, "sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.2; done; sleep 100");
        var followed = PrivateGantryd.exec(List.of("timeout", "3", PrivateGantryd.GANTRY, "-H", "unix://" + d.socket, "logs", "-f", "follow"),
                java.util.Map.of(), null);
        assertThat(followed.code()).as("still following when timeout ended it: " + followed.describe()).isEqualTo(124);
        assertThat(followed.out()).isEqualTo("line1\nline2\nline3\n");
        Process events = new ProcessBuilder(PrivateGantryd.GANTRY, "-H", "unix://" + d.socket, "events", "--filter", "container=follow",
                "--format", "{{.Action}}").redirectErrorStream(true).start();
        try {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(events.getInputStream()));
            Thread.sleep(1000);
            d.ok("rm", "-f", "follow");
            List<String> seen = new java.util.ArrayList<>();
            for (String l = lines.readLine(); l != null && !l.equals("destroy"); l = lines.readLine()) {
                seen.add(l);
            }
            assertThat(seen).as("live events until destroy").contains("die");
            assertThat(events.isAlive()).isTrue();
        } finally {
            events.destroy();
            events.waitFor();
        }
        String stopped = d.ok("create", IMAGE, "true").trim();
        assertThat(d.ok("container", "prune", "-f")).contains("Deleted Containers:\n" + stopped + "\n").contains("Total reclaimed space: ");
        d.ok("volume", "create", "prunable");
        assertThat(d.ok("volume", "prune", "-a", "-f")).contains("Deleted Volumes:\nprunable\n");
        assertThat(d.ok("image", "prune", "-f")).contains("Total reclaimed space: ");
        var declined = d.gantryWithInput("n\n", "system", "prune");
        assertThat(declined.code()).isZero();
        assertThat(declined.out()).contains("Are you sure you want to continue? [y/N]").doesNotContain("Total reclaimed space");
    }

    @Test
    void badInputGetsDockersExitCodeAndOneLine() throws Exception {
        var flag = d.gantry("run", "--no-such-flag", IMAGE);
        assertThat(flag.code()).isEqualTo(125);
        assertThat(flag.err()).isEqualTo("gantry run: unknown flag: --no-such-flag; see 'gantry run --help'\n");
        var format = d.gantry("ps", "--format", "{{.Names");
        assertThat(format.code()).isEqualTo(1);
        assertThat(format.err().lines().toList()).hasSize(1).first().asString().startsWith("gantry ps: template parsing error");
        var missing = d.gantry("inspect", "nothing-here");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("Error: No such object: nothing-here\n");
        var noImage = d.gantry("run", "--rm", "--pull", "never", "absent:image");
        assertThat(noImage.code()).isEqualTo(125);
        assertThat(noImage.err()).startsWith("Error response from daemon: ");
        var unreachable = PrivateGantryd.exec(List.of(PrivateGantryd.GANTRY, "-H", "unix://" + d.dir.resolve("nope.sock"), "ps"), java.util.Map.of(), null);
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("gantry: cannot connect to gantryd at unix://").endsWith("socket\n");
        // The private socket's directory is root's alone: as nobody, connect(2) fails with EACCES.
        var denied = PrivateGantryd.exec(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", PrivateGantryd.GANTRY,
                "-H", "unix://" + d.socket, "ps"), java.util.Map.of("GANTRY_AUTOSTART", "0"), null);
        assertThat(denied.code()).as(denied.describe()).isEqualTo(1);
        assertThat(denied.err()).isEqualTo("gantry: permission denied while connecting to gantryd at unix://" + d.socket
                + ": run gantry as root, or as a user allowed to write that socket\n");
    }

    private void awaitOutput(String container, String expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!d.ok("logs", container).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
