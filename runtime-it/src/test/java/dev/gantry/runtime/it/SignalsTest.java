package dev.gantry.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.CliResult;
import dev.gantry.testkit.Deadline;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RunningCli;
import dev.gantry.testkit.RuntimeSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signals reach the container. PID 1 of a namespace only receives signals it handles
 * (pid_namespaces(7)), so the TERM cases install a trap; KILL always works from outside.
 */
@RequiresRoot
class SignalsTest {
    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    private static OciSpec trappingInit() {
        return OciSpec.runcDefault().shell("trap 'echo got-term; exit 7' TERM; echo trap-ready; sleep 1000 & wait");
    }

    @Test
    void termByNameReachesATrappingInit() {
        Containers.Made made = containers.started(trappingInit());
        containers.awaitOutput(made, "trap-ready");
        sandbox.cli().invoke("kill", made.id(), "TERM").assertSuccess();
        containers.awaitStatus(made.id(), "stopped");
        assertThat(made.result().stdoutNow()).contains("got-term");
    }

    @Test
    void signalBySigNameAndNumberBothWork() {
        Containers.Made made = containers.started(trappingInit());
        containers.awaitOutput(made, "trap-ready");
        sandbox.cli().invoke("kill", made.id(), "SIGTERM").assertSuccess();
        containers.awaitStatus(made.id(), "stopped");

        Containers.Made second = containers.started(OciSpec.runcDefault().args("sleep", "1000"));
        sandbox.cli().invoke("kill", second.id(), "9").assertSuccess();
        containers.awaitStatus(second.id(), "stopped");
    }

    @Test
    void killOfADetachedRunStopsIt() {
        Containers.Made made = containers.run(OciSpec.runcDefault().args("sleep", "1000"), "-d");
        assertThat(made.result().exitCode()).as(made.result().describe()).isZero();
        assertThat(sandbox.cli().state(made.id()).status()).isEqualTo("running");
        sandbox.cli().invoke("kill", made.id(), "KILL").assertSuccess();
        containers.awaitStatus(made.id(), "stopped");
    }

    @Test
    void foregroundRunKilledBySignalExitsWith128PlusSignal() {
        String id = sandbox.newId();
        var bundle = sandbox.bundle(OciSpec.runcDefault().args("sleep", "1000"));
        RunningCli run = sandbox.cli().start("run", "--bundle", bundle.dir().toString(), id);
        Deadline.await(Containers.WAIT, () -> {
            CliResult state = sandbox.cli().invoke("state", id);
            return state.succeeded() && state.stdout().contains("\"running\"");
        }, () -> "container " + id + " running; run printed: " + run.stdoutSoFar());
        sandbox.cli().invoke("kill", id, "KILL").assertSuccess();
        CliResult result = run.await(Duration.ofSeconds(10));
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(128 + 9);
    }

    @Test
    void foregroundRunOfAContainerThatKillsItselfExitsWith128PlusSignal() {
        // A non-init process killed by a signal: the shell reports 128+n for its child.
        Containers.Made made = containers.run(OciSpec.runcDefault().shell("sh -c 'kill -TERM $$'; exit $?"));
        assertThat(made.result().exitCode()).as(made.result().describe()).isEqualTo(128 + 15);
    }
}
