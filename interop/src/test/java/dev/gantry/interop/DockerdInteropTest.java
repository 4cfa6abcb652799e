package dev.gantry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Debian's dockerd 20.10 with runc and gantry-runc registered as runtimes: {@code docker run --runtime <name>}. */
@RequiresRoot
class DockerdInteropTest {

    private static final String IMAGE = "busybox:latest";

    @AutoClose
    private static PrivateDockerd docker;

    @BeforeAll
    static void startDaemonAndImportImage() throws IOException {
        docker = PrivateDockerd.start(OciRuntimeUnderTest.all().toList());
        var dir = Files.createTempDirectory("gantry-docker-image-");
        try {
            HostCommand.Result imported = docker.docker("import", BusyboxTarball.create(dir).toString(), IMAGE);
            assertThat(imported.exitCode()).as(imported.describe()).isZero();
        } finally {
            HostCleanup.deleteTree(dir);
        }
    }

    static Stream<OciRuntimeUnderTest> runtimes() {
        return OciRuntimeUnderTest.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void runPrintsTheContainersOutput(OciRuntimeUnderTest runtime) {
        HostCommand.Result run = run(runtime, "--rm", IMAGE, "echo", "hi");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout()).as(run.describe()).isEqualTo("hi\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void exitCodeOfTheContainerIsDockersExitCode(OciRuntimeUnderTest runtime) {
        HostCommand.Result run = run(runtime, "--rm", IMAGE, "sh", "-c", "exit 3");

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void stopDeliversSigtermToTheContainer(OciRuntimeUnderTest runtime) {
        String name = "stop-" + runtime.name();
        // The trap proves SIGTERM arrived: a PID 1 without a handler would ignore it and be killed (137).
        startDetached(runtime, name, "sh", "-c", "trap 'exit 7' TERM; while :; do sleep 0.1; done");
        assertThat(inspect(name, "{{.State.Running}}")).isEqualTo("true");

        HostCommand.Result stop = docker.docker("stop", "--time", "20", name);
        HostCommand.Result waited = docker.docker("wait", name);

        assertThat(stop.exitCode()).as(stop.describe()).isZero();
        assertThat(waited.stdout().strip()).as(waited.describe()).isEqualTo("7");
        removeAndCheckGone(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void killEndsTheContainerWithSigkill(OciRuntimeUnderTest runtime) {
        String name = startDetached(runtime, "kill-" + runtime.name(), "sleep", "100");

        HostCommand.Result kill = docker.docker("kill", name);
        HostCommand.Result waited = docker.docker("wait", name);

        assertThat(kill.exitCode()).as(kill.describe()).isZero();
        assertThat(waited.stdout().strip()).as(waited.describe()).isEqualTo("137");
        assertThat(inspect(name, "{{.State.Running}}")).isEqualTo("false");
        removeAndCheckGone(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void forcedRemovalEndsARunningContainer(OciRuntimeUnderTest runtime) {
        String name = startDetached(runtime, "rmf-" + runtime.name(), "sleep", "100");
        assertThat(inspect(name, "{{.State.Running}}")).isEqualTo("true");

        removeAndCheckGone(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void execRunsInTheRunningContainerAndReturnsItsExitCode(OciRuntimeUnderTest runtime) {
        String name = startDetached(runtime, "exec-" + runtime.name(), "sleep", "100");

        // PID 1 seen from the exec'd process is the container's sleep: the exec joined its PID namespace.
        HostCommand.Result exec = docker.docker("exec", "--env", "FROM=exec", "--workdir", "/tmp", name,
                "sh", "-c", "echo $FROM $(pwd) $(cat /proc/1/comm)");
        HostCommand.Result failing = docker.docker("exec", name, "sh", "-c", "exit 4");

        assertThat(exec.exitCode()).as(exec.describe()).isZero();
        assertThat(exec.stdout()).as(exec.describe()).isEqualTo("exec /tmp sleep\n");
        assertThat(failing.exitCode()).as(failing.describe()).isEqualTo(4);
        removeAndCheckGone(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void ttyContainerGetsATerminal(OciRuntimeUnderTest runtime) {
        // -t makes the shim ask the runtime for a pty over --console-socket.
        HostCommand.Result run = run(runtime, "--rm", "--tty", IMAGE, "sh", "-c", "test -t 0 && tty");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout().strip()).as(run.describe()).startsWith("/dev/");
    }

    /** Starts container {@code name} detached, running {@code command}, and asserts that it started; returns the name. */
    private static String startDetached(OciRuntimeUnderTest runtime, String name, String... command) {
        List<String> args = new ArrayList<>(List.of("--detach", "--name", name, IMAGE));
        args.addAll(List.of(command));
        HostCommand.Result started = run(runtime, args.toArray(String[]::new));
        assertThat(started.exitCode()).as(started.describe()).isZero();
        return name;
    }

    private static HostCommand.Result run(OciRuntimeUnderTest runtime, String... args) {
        List<String> command = Stream.concat(
                Stream.of("run", "--runtime", runtime.requireExecutable().name(), "--network", "none"),
                Stream.of(args)).toList();
        return docker.docker(command.toArray(String[]::new));
    }

    private static String inspect(String name, String format) {
        HostCommand.Result inspected = docker.docker("inspect", "--format", format, name);
        assertThat(inspected.exitCode()).as(inspected.describe()).isZero();
        return inspected.stdout().strip();
    }

    private static void removeAndCheckGone(String name) {
        HostCommand.Result removed = docker.docker("rm", "--force", name);
        HostCommand.Result ps = docker.docker("ps", "--all", "--quiet", "--filter", "name=^/" + name + "$");

        assertThat(removed.exitCode()).as(removed.describe()).isZero();
        assertThat(ps.stdout()).as(ps.describe()).isEmpty();
    }
}
