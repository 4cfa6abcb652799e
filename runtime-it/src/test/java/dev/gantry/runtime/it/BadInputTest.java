package dev.gantry.runtime.it;

import static dev.gantry.runtime.it.Containers.BEYOND_RUNC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.CliResult;
import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.Mount;
import dev.gantry.testkit.Mountinfo;
import dev.gantry.testkit.OciBundle;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RuntimeSandbox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input and wrong-state operations: a nonzero exit, one line on stderr naming the field or
 * path (asserted on that name only, since wording differs between runtimes), and nothing
 * left behind — no state entry, mount, cgroup or process.
 */
@RequiresRoot
class BadInputTest {
    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    /** runc 1.1 says only "unexpected EOF". */
    @Test
    @Tag(BEYOND_RUNC)
    void malformedConfigJson() {
        OciBundle bundle = sandbox.bundleWithRawConfig("{\"ociVersion\": \"1.0.2\", \"process\": {");
        assertRejectedAtCreate(bundle, "config.json");
    }

    @Test
    void emptyArgs() {
        assertRejectedAtCreate(sandbox.bundle(OciSpec.runcDefault().args()), "args");
    }

    @Test
    void relativeCwd() {
        assertRejectedAtCreate(sandbox.bundle(OciSpec.runcDefault().cwd("tmp")), "cwd");
    }

    @Test
    void missingRootfs() {
        OciBundle bundle = sandbox.bundleWithoutRootfs(OciSpec.runcDefault().rootPath("no-such-rootfs"));
        assertRejectedAtCreate(bundle, "no-such-rootfs");
    }

    @Test
    void unknownNamespaceType() {
        assertRejectedAtCreate(sandbox.bundle(OciSpec.runcDefault().namespace("bogusns")), "bogusns");
    }

    @Test
    void unmountableMountSource() {
        String source = sandbox.dir().resolve("no-such-source").toString();
        assertRejectedAtCreate(sandbox.bundle(OciSpec.runcDefault().mount(Mount.bind(source, "/data", "rbind"))),
                "no-such-source");
    }

    @Test
    void executableNotFound() {
        Containers.Made made = containers.run(OciSpec.runcDefault().args("/no/such/program"));
        assertRejected(made.result(), made.id(), "/no/such/program");
    }

    @Test
    void duplicateIdIsRefusedAndTheFirstKeepsWorking() {
        Containers.Made first = containers.create(OciSpec.runcDefault().args("sleep", "1000"));
        OciBundle second = sandbox.bundle(OciSpec.runcDefault().args("sleep", "1000"));
        CliResult duplicate = sandbox.cli().invoke("create", "--bundle", second.dir().toString(), first.id());
        assertThat(duplicate.exitCode()).as(duplicate.describe()).isNotZero();
        assertOneLine(duplicate);
        assertThat(duplicate.stderr()).as(duplicate.describe()).containsAnyOf(first.id(), "exist");
        assertThat(Leaks.processes(second.dir())).as(duplicate.describe()).isEmpty();
        assertThat(Mountinfo.under(second.dir())).as(duplicate.describe()).isEmpty();

        assertThat(sandbox.cli().state(first.id()).bundle()).isEqualTo(first.bundle().dir().toString());
        sandbox.cli().invoke("start", first.id()).assertSuccess();
        assertThat(sandbox.cli().state(first.id()).status()).isEqualTo("running");
    }

    @Test
    void startOfARunningContainer() {
        Containers.Made made = containers.started(OciSpec.runcDefault().args("sleep", "1000"));
        CliResult again = sandbox.cli().invoke("start", made.id());
        assertWrongState(again, "running");
        assertThat(sandbox.cli().state(made.id()).status()).isEqualTo("running");
    }

    @Test
    void deleteOfARunningContainerWithoutForce() {
        Containers.Made made = containers.started(OciSpec.runcDefault().args("sleep", "1000"));
        CliResult delete = sandbox.cli().invoke("delete", made.id());
        assertWrongState(delete, "running");
        assertThat(sandbox.cli().state(made.id()).status()).isEqualTo("running");
    }

    @Test
    void killOfAStoppedContainer() {
        Containers.Made made = containers.started(OciSpec.runcDefault().args("sleep", "1000"));
        sandbox.cli().invoke("kill", made.id(), "KILL").assertSuccess();
        containers.awaitStatus(made.id(), "stopped");
        CliResult kill = sandbox.cli().invoke("kill", made.id(), "KILL");
        assertWrongState(kill, "not running", "stopped");
        assertThat(sandbox.cli().state(made.id()).status()).isEqualTo("stopped");
    }

    @Test
    void stateOfAnUnknownId() {
        String id = sandbox.newId();
        CliResult state = sandbox.cli().invoke("state", id);
        assertThat(state.exitCode()).as(state.describe()).isNotZero();
        assertOneLine(state);
        assertThat(state.stderr()).as(state.describe()).containsAnyOf(id, "does not exist", "not found");
        sandbox.assertNothingLeft(id, state);
    }

    private void assertRejectedAtCreate(OciBundle bundle, String named) {
        String id = sandbox.newId();
        CliResult create = sandbox.cli().invoke("create", "--bundle", bundle.dir().toString(), id);
        assertRejected(create, id, named);
    }

    private void assertRejected(CliResult result, String id, String named) {
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertOneLine(result);
        assertThat(result.stderr()).as(result.describe()).containsIgnoringCase(named);
        sandbox.assertNothingLeft(id, result);
    }

    private static void assertWrongState(CliResult result, String... anyOf) {
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertOneLine(result);
        assertThat(result.stderr().toLowerCase()).as(result.describe()).containsAnyOf(anyOf);
    }

    private static void assertOneLine(CliResult result) {
        assertThat(result.stderr().strip()).as(result.describe()).isNotEmpty();
        assertThat(result.stderr().strip().lines()).as("stderr is one line" + result.describe()).hasSize(1);
    }
}
