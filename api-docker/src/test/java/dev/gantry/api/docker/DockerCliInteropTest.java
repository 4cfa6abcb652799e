package dev.gantry.api.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real docker CLI against the server on a temporary socket (fakes behind it): Debian's
 * docker.io (20.10, API 1.41) and any newer CLI found on the PATH directories below.
 */
class DockerCliInteropTest {
    @TempDir
    Path dir;

    FakeContainers containers = new FakeContainers();
    DockerApiServer server;

    record Result(int exit, String out, String err) {}

    static Stream<String> clis() {
        List<String> found = Stream.of("/usr/bin/docker", "/usr/local/bin/docker").filter(p -> Files.isExecutable(Path.of(p))).toList();
        if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must have a docker CLI (Debian package docker.io): this tier may not be skipped");
        }
        assumeTrue(!found.isEmpty(), "no docker CLI installed (Debian package docker.io)");
        return found.stream();
    }

    @BeforeEach
    void start() {
        server = DockerApiServer.start(TestServers.options(dir),
                ApiBackends.of(TestServers.hostInfo()).withContainers(containers).withExec(new FakeExec()).withSystem(new FakeSystem()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Result docker(String cli, String... args) throws IOException, InterruptedException {
        return dockerWithInput(cli, Path.of("/dev/null"), args);
    }

    Result dockerWithInput(String cli, Path stdin, String... args) throws IOException, InterruptedException {
        var cmd = new ArrayList<>(List.of(cli, "-H", "unix://" + server.socket()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        // A config directory of our own: no contexts, credentials or plugins of the machine.
        pb.environment().put("DOCKER_CONFIG", dir.resolve("config").toString());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("DOCKER_API_VERSION");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("docker " + String.join(" ", args) + " did not finish within 60 s");
            }
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("clis")
    void versionShowsTheServerSide(String cli) throws Exception {
        Result r = docker(cli, "version");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Server: Gantry Engine", " Engine:")
                .containsPattern("\\n  Version: +" + TestServers.VERSION.replace(".", "\\.") + "\\n")
                .containsPattern("\\n  API version: +1\\.47 \\(minimum version 1\\.24\\)");
        Result f = docker(cli, "version", "--format", "{{.Server.APIVersion}} {{.Server.Os}}/{{.Server.Arch}}");
        assertThat(f.exit()).as(f.err()).isZero();
        assertThat(f.out().trim()).isEqualTo("1.47 linux/amd64");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void infoPrintsTheHost(String cli) throws Exception {
        Result r = docker(cli, "info");
        assertThat(r.exit()).as(r.err()).isZero();
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        assertThat(r.out()).contains("Server Version: " + TestServers.VERSION, "Cgroup Driver: cgroupfs", "Kernel Version: " + kernel,
                "Default Runtime: gantry", "Storage Driver: overlay2", "Docker Root Dir: /var/lib/gantry",
                "CPUs: " + Runtime.getRuntime().availableProcessors());
        Result f = docker(cli, "info", "--format", "{{.CgroupVersion}} {{.OSType}} {{.NCPU}}");
        assertThat(f.out().trim()).isEqualTo((Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1") + " linux "
                + Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest
    @MethodSource("clis")
    void psListsTheFakeContainers(String cli) throws Exception {
        Result running = docker(cli, "ps");
        assertThat(running.exit()).as(running.err()).isZero();
        assertThat(running.out()).contains("CONTAINER ID", "4f1b2c3d4e5f", "nginx:1.25", "Up 5 minutes", "0.0.0.0:8080->80/tcp", "web");
        assertThat(running.out()).doesNotContain("postgres");

        Result all = docker(cli, "ps", "-a", "--format", "{{.Names}} {{.Status}}");
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out().lines().toList()).containsExactly("web Up 5 minutes", "db Exited (0) 2 hours ago");

        Result filtered = docker(cli, "ps", "-aq", "--filter", "status=exited");
        assertThat(filtered.out().trim()).isEqualTo("9a8b7c6d5e4f");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void errorsReachTheUserWithANonZeroExit(String cli) throws Exception {
        Result missing = docker(cli, "kill", "nope");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("No such container: nope");
        Result conflict = docker(cli, "kill", "web");
        assertThat(conflict.exit()).isNotZero();
        assertThat(conflict.err()).contains("Container web is not running");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void logsAreDemultiplexedIntoStdoutAndStderr(String cli) throws Exception {
        Result r = docker(cli, "logs", "web");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("out line\n");
        assertThat(r.err()).isEqualTo("err line\n");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void networksAndDiskUsageAreListed(String cli) throws Exception {
        Result ls = docker(cli, "network", "ls", "--format", "{{.Name}} {{.Driver}}");
        assertThat(ls.exit()).as(ls.err()).isZero();
        assertThat(ls.out().lines().toList()).containsExactly("bridge bridge", "host host", "none null");
        Result create = docker(cli, "network", "create", "mynet");
        assertThat(create.exit()).isNotZero();
        assertThat(create.err()).contains("only the built-in networks bridge, host and none");
        Result df = docker(cli, "system", "df");
        assertThat(df.exit()).as(df.err()).isZero();
        assertThat(df.out()).contains("TYPE", "Images", "Containers", "Local Volumes");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void execRunsOverAHijackedConnection(String cli) throws Exception {
        Result r = docker(cli, "exec", "web", "echo", "hi");
        assertThat(r.out()).isEqualTo("ran: echo hi\n");
        assertThat(r.err()).isEqualTo("note\n");
        assertThat(r.exit()).isEqualTo(3);

        Path input = Files.writeString(dir.resolve("stdin.txt"), "line one\nline two\n");
        Result cat = dockerWithInput(cli, input, "exec", "-i", "web", "cat");
        assertThat(cat.exit()).as(cat.err()).isZero();
        assertThat(cat.out()).isEqualTo("line one\nline two\n");

        Result detached = docker(cli, "exec", "-d", "web", "sleep", "1");
        assertThat(detached.exit()).as(detached.err()).isZero();

        Result missing = docker(cli, "exec", "nope", "true");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("No such container: nope");
    }
}
