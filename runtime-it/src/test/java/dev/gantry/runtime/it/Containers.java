package dev.gantry.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.CliResult;
import dev.gantry.testkit.ContainerState;
import dev.gantry.testkit.Deadline;
import dev.gantry.testkit.OciBundle;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RuntimeCli;
import dev.gantry.testkit.RuntimeSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The container recipes the tests share, on top of one test's {@link RuntimeSandbox}. */
final class Containers {
    static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * Tag of tests that Debian's runc 1.1 fails because it falls short of the spec or of
     * Gantry's error-message bar; {@code -DexcludedGroups=beyond-runc} checks the rest against runc.
     */
    static final String BEYOND_RUNC = "beyond-runc";

    /** A container made by one of the recipes; {@code result} is the create or run invocation. */
    record Made(String id, OciBundle bundle, CliResult result) {
    }

    private final RuntimeSandbox sandbox;

    Containers(RuntimeSandbox sandbox) {
        this.sandbox = sandbox;
    }

    RuntimeCli cli() {
        return sandbox.cli();
    }

    /** {@code run} in the foreground to completion, whatever the exit code. */
    Made run(OciSpec spec, String... extraArgs) {
        String id = sandbox.newId();
        OciBundle bundle = sandbox.bundle(spec);
        List<String> args = new ArrayList<>(List.of("run", "--bundle", bundle.dir().toString()));
        args.addAll(List.of(extraArgs));
        args.add(id);
        return new Made(id, bundle, cli().invoke(args.toArray(String[]::new)));
    }

    /** The stdout of a foreground run that must exit 0, stripped. */
    String output(OciSpec spec) {
        Made made = run(spec);
        assertThat(made.result().exitCode()).as("exit code of run" + made.result().describe()).isZero();
        return made.result().stdout().strip();
    }

    /** {@code create}, which must succeed; the container's stdout lands in the result's stdout file. */
    Made create(OciSpec spec, String... extraArgs) {
        String id = sandbox.newId();
        OciBundle bundle = sandbox.bundle(spec);
        List<String> args = new ArrayList<>(List.of("create", "--bundle", bundle.dir().toString()));
        args.addAll(List.of(extraArgs));
        args.add(id);
        CliResult result = cli().invoke(args.toArray(String[]::new));
        assertThat(result.exitCode()).as("exit code of create" + result.describe()).isZero();
        return new Made(id, bundle, result);
    }

    /** {@code create} then {@code start}; both must succeed. */
    Made started(OciSpec spec) {
        Made made = create(spec);
        cli().invoke("start", made.id()).assertSuccess();
        return made;
    }

    /** Polls {@code state} until the status is {@code status}. */
    ContainerState awaitStatus(String id, String status) {
        ContainerState[] last = {null};
        Deadline.await(WAIT, () -> status.equals((last[0] = cli().state(id)).status()),
                () -> "container " + id + " to be " + status + ", last state " + last[0]);
        return last[0];
    }

    /** Polls until the container's stdout (from create) contains {@code text}. */
    String awaitOutput(Made made, String text) {
        Deadline.await(WAIT, () -> made.result().stdoutNow().contains(text),
                () -> "container output to contain \"" + text + "\"" + made.result().describe());
        return made.result().stdoutNow();
    }
}
