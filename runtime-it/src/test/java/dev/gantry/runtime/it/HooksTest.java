package dev.gantry.runtime.it;

import static dev.gantry.runtime.it.Containers.BEYOND_RUNC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.CliResult;
import dev.gantry.testkit.Deadline;
import dev.gantry.testkit.Hook;
import dev.gantry.testkit.HookKind;
import dev.gantry.testkit.Json;
import dev.gantry.testkit.Mount;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RuntimeSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hooks: each writes the state it got on stdin (and its mount namespace) to a file. Host-side
 * hooks write into the test directory; startContainer resolves inside the container and writes
 * through a bind mount.
 */
@RequiresRoot
class HooksTest {
    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    private record Recorded(Map<String, Object> state, String mountNamespace) {
    }

    private Path out;

    private OciSpec specWithEveryHook() throws IOException {
        out = Files.createDirectories(sandbox.dir().resolve("hook-out"));
        OciSpec spec = OciSpec.runcDefault().args("sleep", "1000")
                .mount(Mount.bind(out.toString(), "/hook-out", "rbind", "rw"));
        for (HookKind kind : HookKind.values()) {
            String dir = kind == HookKind.startContainer ? "/hook-out" : out.toString();
            spec.hook(kind, Hook.shell("cat > " + dir + "/" + kind + ".json; readlink /proc/self/ns/mnt > "
                    + dir + "/" + kind + ".mnt"));
        }
        return spec;
    }

    @Test
    void everyHookGetsTheStateOnStdinAtItsPointOfTheLifecycle() throws Exception {
        Containers.Made made = containers.create(specWithEveryHook());
        String id = made.id();
        long pid = sandbox.cli().state(id).pid();
        for (HookKind kind : List.of(HookKind.prestart, HookKind.createRuntime, HookKind.createContainer)) {
            Recorded hook = recorded(kind, made.result());
            assertThat(hook.state()).as(kind.name()).containsEntry("id", id).containsEntry("status", "creating")
                    .containsEntry("bundle", made.bundle().dir().toString());
        }
        assertThat(out.resolve("startContainer.json")).as("startContainer ran before start").doesNotExist();

        sandbox.cli().invoke("start", id).assertSuccess();
        assertThat(recorded(HookKind.startContainer, made.result()).state()).containsEntry("id", id);
        assertThat(recorded(HookKind.poststart, made.result()).state()).containsEntry("id", id);

        sandbox.cli().invoke("kill", id, "KILL").assertSuccess();
        containers.awaitStatus(id, "stopped");
        assertThat(out.resolve("poststop.json")).as("poststop ran before delete").doesNotExist();
        CliResult delete = sandbox.cli().invoke("delete", id).assertSuccess();
        assertThat(recorded(HookKind.poststop, delete).state()).containsEntry("id", id)
                .containsEntry("status", "stopped");

        for (HookKind kind : List.of(HookKind.prestart, HookKind.createRuntime, HookKind.poststart)) {
            assertThat(((Number) recorded(kind, made.result()).state().get("pid")).longValue()).as(kind.name())
                    .isEqualTo(pid);
        }
    }

    /** Runtime spec: poststart runs after the user process started, as part of start (runc 1.1 runs it in create). */
    @Test
    @Tag(BEYOND_RUNC)
    void poststartRunsAtStartAndSeesTheContainerRunning() throws Exception {
        Containers.Made made = containers.create(specWithEveryHook());
        recorded(HookKind.createContainer, made.result());
        assertThat(out.resolve("poststart.json")).as("poststart ran before start").doesNotExist();
        sandbox.cli().invoke("start", made.id()).assertSuccess();
        assertThat(recorded(HookKind.poststart, made.result()).state()).containsEntry("status", "running");
    }

    @Test
    void containerHooksRunInTheContainersMountNamespaceAndHostHooksDoNot() throws Exception {
        Containers.Made made = containers.started(specWithEveryHook());
        long pid = sandbox.cli().state(made.id()).pid();
        String container = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt")).toString();
        String host = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
        assertThat(container).isNotEqualTo(host);
        assertThat(recorded(HookKind.createContainer, made.result()).mountNamespace()).isEqualTo(container);
        assertThat(recorded(HookKind.startContainer, made.result()).mountNamespace()).isEqualTo(container);
        for (HookKind kind : List.of(HookKind.prestart, HookKind.createRuntime, HookKind.poststart)) {
            assertThat(recorded(kind, made.result()).mountNamespace()).as(kind.name()).isEqualTo(host);
        }
    }

    @Test
    void hookExceedingItsTimeoutFailsCreateAndLeavesNothing() {
        String id = sandbox.newId();
        var bundle = sandbox.bundle(OciSpec.runcDefault().args("sleep", "1000"));
        // argv[0] names the bundle, so a hook left running is found by the leak scan.
        String busybox = bundle.rootfs().resolve("bin/busybox").toString();
        bundle.writeConfig(OciSpec.runcDefault().args("sleep", "1000")
                .hook(HookKind.createRuntime, new Hook(busybox, List.of(busybox, "sleep", "30"), null, 1)));
        CliResult create = sandbox.cli().invoke("create", "--bundle", bundle.dir().toString(), id);
        assertThat(create.exitCode()).as(create.describe()).isNotZero();
        assertThat(create.elapsed()).as(create.describe()).isLessThan(Duration.ofSeconds(10));
        assertThat(create.stderr().toLowerCase()).as(create.describe()).containsAnyOf("timeout", "timed out");
        sandbox.assertNothingLeft(id, create);
    }

    private Recorded recorded(HookKind kind, CliResult context) {
        Path json = out.resolve(kind + ".json");
        Path mnt = out.resolve(kind + ".mnt");
        Deadline.await(Containers.WAIT, () -> Files.exists(mnt),
                () -> kind + " hook output in " + out + context.describe());
        try {
            return new Recorded(Json.parseObject(Files.readString(json)), Files.readString(mnt).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
