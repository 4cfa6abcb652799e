package dev.gantry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.RequiresRoot;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Debian's podman 4.3 runs {@code --rm} containers with {@code --runtime <binary>}: runc first, then gantry-runc. */
@RequiresRoot
class PodmanInteropTest {

    @AutoClose
    private static IsolatedPodman podman;

    @BeforeAll
    static void importImage() throws IOException {
        podman = IsolatedPodman.start();
    }

    static Stream<OciRuntimeUnderTest> runtimes() {
        return OciRuntimeUnderTest.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void runPrintsTheContainersOutput(OciRuntimeUnderTest runtime) {
        HostCommand.Result run = run(runtime, "echo", "hi");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout()).as(run.describe()).isEqualTo("hi\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void exitCodeOfTheContainerIsPodmansExitCode(OciRuntimeUnderTest runtime) {
        HostCommand.Result run = run(runtime, "sh", "-c", "exit 3");

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void environmentWorkdirAndUserApply(OciRuntimeUnderTest runtime) {
        HostCommand.Result run = podman.podman(runtime.requireExecutable(), "run", "--rm", "--network", "none",
                "--env", "GREETING=from-env", "--workdir", "/tmp", "--user", "65534:65534",
                IsolatedPodman.IMAGE, "sh", "-c", "echo $GREETING; pwd; id -u; id -g");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout()).as(run.describe()).isEqualTo("from-env\n/tmp\n65534\n65534\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void removedContainerIsGoneFromPsAll(OciRuntimeUnderTest runtime) {
        String name = "rm-check-" + runtime.name();
        HostCommand.Result run = podman.podman(runtime.requireExecutable(), "run", "--rm", "--network", "none",
                "--name", name, IsolatedPodman.IMAGE, "true");
        HostCommand.Result ps = podman.podman(runtime, "ps", "--all", "--quiet", "--filter", "name=^" + name + "$");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(ps.exitCode()).as(ps.describe()).isZero();
        assertThat(ps.stdout()).as(ps.describe()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void stopDeliversSigtermAndExecJoinsTheContainer(OciRuntimeUnderTest runtime) {
        String name = "stop-" + runtime.name();
        HostCommand.Result started = podman.podman(runtime.requireExecutable(), "run", "--detach", "--network", "none",
                "--name", name, IsolatedPodman.IMAGE, "sh", "-c", "trap 'exit 7' TERM; while :; do sleep 0.1; done");
        assertThat(started.exitCode()).as(started.describe()).isZero();
        try {
            HostCommand.Result exec = podman.podman(runtime, "exec", name, "sh", "-c", "cat /proc/1/comm; exit 4");
            HostCommand.Result stop = podman.podman(runtime, "stop", "--time", "20", name);
            HostCommand.Result exitCode = podman.podman(runtime, "inspect", "--format", "{{.State.ExitCode}}", name);

            assertThat(exec.exitCode()).as(exec.describe()).isEqualTo(4);
            assertThat(exec.stdout()).as(exec.describe()).isEqualTo("sh\n");
            assertThat(stop.exitCode()).as(stop.describe()).isZero();
            assertThat(exitCode.stdout().strip()).as(exitCode.describe()).isEqualTo("7");
        } finally {
            podman.podman(runtime, "rm", "--force", "--time", "0", name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void ttyContainerGetsATerminal(OciRuntimeUnderTest runtime) {
        // -t makes conmon ask the runtime for a pty over --console-socket.
        HostCommand.Result run = run(runtime, "sh", "-c", "test -t 0 && tty");
        HostCommand.Result tty = podman.podman(runtime, "run", "--rm", "--tty", "--network", "none",
                IsolatedPodman.IMAGE, "sh", "-c", "test -t 0 && tty");

        assertThat(run.exitCode()).as("without --tty stdin is no terminal: %s", run.describe()).isEqualTo(1);
        assertThat(tty.exitCode()).as(tty.describe()).isZero();
        assertThat(tty.stdout().strip()).as(tty.describe()).startsWith("/dev/");
    }

    private static HostCommand.Result run(OciRuntimeUnderTest runtime, String... command) {
        String[] args = Stream.concat(Stream.of("run", "--rm", "--network", "none", IsolatedPodman.IMAGE), Stream.of(command))
                .toArray(String[]::new);
        return podman.podman(runtime.requireExecutable(), args);
    }
}
