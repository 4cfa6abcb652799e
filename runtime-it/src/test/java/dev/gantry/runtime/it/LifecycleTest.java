package dev.gantry.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.CliResult;
import dev.gantry.testkit.ContainerState;
import dev.gantry.testkit.Json;
import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RuntimeSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** create/start/state/list/exec/ps/delete/spec and the statuses they report. */
@RequiresRoot
class LifecycleTest {
    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    private static OciSpec sleeper() {
        return OciSpec.runcDefault().args("sleep", "1000");
    }

    @Test
    void statusesAreCreatedRunningStoppedInStateAndList() {
        Containers.Made made = containers.create(sleeper());
        String id = made.id();
        assertThat(statusOf(id)).isEqualTo("created");
        assertThat(listedStatusOf(id)).isEqualTo("created");
        ContainerState created = sandbox.cli().state(id);
        assertThat(created.pid()).isPositive();
        assertThat(created.bundle()).isEqualTo(made.bundle().dir().toString());

        sandbox.cli().invoke("start", id).assertSuccess();
        assertThat(statusOf(id)).isEqualTo("running");
        assertThat(listedStatusOf(id)).isEqualTo("running");
        assertThat(sandbox.cli().state(id).pid()).isEqualTo(created.pid());

        sandbox.cli().invoke("kill", id, "KILL").assertSuccess();
        containers.awaitStatus(id, "stopped");
        assertThat(listedStatusOf(id)).isEqualTo("stopped");

        CliResult delete = sandbox.cli().invoke("delete", id).assertSuccess();
        assertThat(sandbox.cli().invoke("state", id).exitCode()).isNotZero();
        assertThat(sandbox.cli().list()).extracting(ContainerState::id).doesNotContain(id);
        sandbox.assertNothingLeft(id, delete);
    }

    @Test
    void pidFileMatchesState() throws Exception {
        Path pidFile = sandbox.dir().resolve("init.pid");
        Containers.Made made = containers.create(sleeper(), "--pid-file", pidFile.toString());
        assertThat(Files.readString(pidFile).strip()).isEqualTo(String.valueOf(sandbox.cli().state(made.id()).pid()));
    }

    @Test
    void detachedRunWritesPidFileAndKeepsRunning() throws Exception {
        Path pidFile = sandbox.dir().resolve("run.pid");
        Containers.Made made = containers.run(sleeper(), "-d", "--pid-file", pidFile.toString());
        assertThat(made.result().exitCode()).as(made.result().describe()).isZero();
        ContainerState state = sandbox.cli().state(made.id());
        assertThat(state.status()).isEqualTo("running");
        assertThat(Files.readString(pidFile).strip()).isEqualTo(String.valueOf(state.pid()));
    }

    @Test
    void execSharesThePidNamespace() {
        Containers.Made made = containers.started(sleeper());
        CliResult ps = sandbox.cli().invoke("exec", made.id(), "ps", "-o", "pid,args").assertSuccess();
        List<String> lines = ps.stdout().lines().skip(1).map(String::strip).toList();
        assertThat(lines).as(ps.describe()).anyMatch(l -> l.matches("1\\s+sleep 1000"));
        assertThat(lines).as(ps.describe()).anyMatch(l -> l.matches("\\d+\\s+ps -o pid,args"));
    }

    @Test
    void execHonoursCwdEnvAndUser() {
        Containers.Made made = containers.started(sleeper());
        CliResult exec = sandbox.cli().invoke("exec", "--cwd", "/tmp", "--env", "FOO=bar", "--user", "1000:1000",
                made.id(), "sh", "-c", "pwd; echo $FOO; id -u; id -g").assertSuccess();
        assertThat(exec.stdout().strip().split("\n")).containsExactly("/tmp", "bar", "1000", "1000");
    }

    @Test
    void execRunsAProcessFile() throws Exception {
        Containers.Made made = containers.started(sleeper());
        Path process = sandbox.dir().resolve("process.json");
        Files.writeString(process, Json.write(Map.of(
                "terminal", false,
                "user", Map.of("uid", 0, "gid", 0),
                "args", List.of("sh", "-c", "echo from-process-file; echo $MARK"),
                "env", List.of("PATH=/bin:/usr/bin", "MARK=set-by-file"),
                "cwd", "/")));
        CliResult exec = sandbox.cli().invoke("exec", "--process", process.toString(), made.id()).assertSuccess();
        assertThat(exec.stdout().strip().split("\n")).containsExactly("from-process-file", "set-by-file");
    }

    @Test
    void detachedExecWritesItsPidAndPsListsIt() throws Exception {
        Containers.Made made = containers.started(sleeper());
        Path pidFile = sandbox.dir().resolve("exec.pid");
        sandbox.cli().invoke("exec", "-d", "--pid-file", pidFile.toString(), made.id(), "sleep", "999").assertSuccess();
        long execPid = Long.parseLong(Files.readString(pidFile).strip());
        List<Long> pids = psPids(made.id());
        assertThat(pids).contains(sandbox.cli().state(made.id()).pid(), execPid);
    }

    @Test
    void psListsTheInitPid() {
        Containers.Made made = containers.started(sleeper());
        assertThat(psPids(made.id())).containsExactly(sandbox.cli().state(made.id()).pid());
    }

    @Test
    void killAllStopsEveryProcess() {
        Containers.Made made = containers.started(OciSpec.runcDefault().shell("sleep 1000 & sleep 1000 & wait"));
        sandbox.cli().invoke("exec", "-d", made.id(), "sleep", "998").assertSuccess();
        CliResult kill = sandbox.cli().invoke("kill", "--all", made.id(), "KILL").assertSuccess();
        containers.awaitStatus(made.id(), "stopped");
        assertThat(Leaks.processes(made.bundle().dir())).as(kill.describe()).isEmpty();
    }

    @Test
    void forceDeleteRemovesARunningContainer() {
        Containers.Made made = containers.started(sleeper());
        CliResult delete = sandbox.cli().invoke("delete", "--force", made.id()).assertSuccess();
        assertThat(sandbox.cli().invoke("state", made.id()).exitCode()).isNotZero();
        sandbox.assertNothingLeft(made.id(), delete);
    }

    @Test
    void noPivotRunStillSeesOnlyItsRootfs() throws Exception {
        Containers.Made made = containers.run(OciSpec.runcDefault().shell("echo $$; ls -A /"), "--no-pivot");
        assertThat(made.result().exitCode()).as(made.result().describe()).isZero();
        List<String> lines = made.result().stdout().strip().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("1");
        try (var entries = Files.list(made.bundle().rootfs())) {
            assertThat(lines.stream().skip(1).flatMap(l -> List.of(l.split("\\s+")).stream()).toList())
                    .containsExactlyInAnyOrderElementsOf(entries.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void noPivotCreateAndStart() {
        Containers.Made made = containers.create(OciSpec.runcDefault().shell("echo no-pivot-$((1+1))"), "--no-pivot");
        sandbox.cli().invoke("start", made.id()).assertSuccess();
        containers.awaitOutput(made, "no-pivot-2");
        containers.awaitStatus(made.id(), "stopped");
    }

    @Test
    void specWritesAConfigThatRuns() throws Exception {
        Path dir = Files.createDirectories(sandbox.dir().resolve("from-spec"));
        sandbox.cli().invokeIn(dir, "spec").assertSuccess();
        OciSpec spec = OciSpec.fromJson(Files.readString(dir.resolve("config.json")));
        assertThat(spec.toMap()).containsKeys("ociVersion", "process", "root", "mounts", "linux");
        dev.gantry.testkit.BusyboxRootfs.copyTo(dir.resolve("rootfs"));
        spec.terminal(false).shell("echo spec-ok");
        Files.writeString(dir.resolve("config.json"), spec.toJson());
        String id = sandbox.newId();
        CliResult run = sandbox.cli().invoke("run", "--bundle", dir.toString(), id);
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout().strip()).isEqualTo("spec-ok");
    }

    @Test
    @SuppressWarnings("unchecked")
    void rootlessSpecAsksForAUserNamespaceWithMappings() throws Exception {
        Path dir = Files.createDirectories(sandbox.dir().resolve("rootless"));
        sandbox.cli().invokeIn(dir, "spec", "--rootless").assertSuccess();
        Map<String, Object> linux = (Map<String, Object>) OciSpec.fromJson(Files.readString(dir.resolve("config.json")))
                .toMap().get("linux");
        assertThat((List<Object>) linux.get("namespaces")).contains(Map.of("type", "user"));
        assertThat((List<Object>) linux.get("uidMappings")).isNotEmpty();
        assertThat((List<Object>) linux.get("gidMappings")).isNotEmpty();
    }

    private String statusOf(String id) {
        return sandbox.cli().state(id).status();
    }

    private String listedStatusOf(String id) {
        return sandbox.cli().list().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in list --format json"))
                .status();
    }

    private List<Long> psPids(String id) {
        CliResult ps = sandbox.cli().invoke("ps", "--format", "json", id).assertSuccess();
        return Json.parseArray(ps.stdout()).stream().map(o -> ((Number) o).longValue()).toList();
    }
}
