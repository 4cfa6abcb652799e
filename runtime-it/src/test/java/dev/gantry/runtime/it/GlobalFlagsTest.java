package dev.gantry.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.CliResult;
import dev.gantry.testkit.Json;
import dev.gantry.testkit.OciBundle;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RuntimeSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** --log/--log-format/--debug as containerd and podman pass them. */
@RequiresRoot
class GlobalFlagsTest {
    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    /** containerd reads the last JSON error line of --log to explain a failed create. */
    @Test
    void errorsAreWrittenToTheLogFileAsJson() throws Exception {
        Path log = sandbox.dir().resolve("runtime.log");
        OciBundle bundle = sandbox.bundleWithoutRootfs(OciSpec.runcDefault().rootPath("no-such-rootfs"));
        String id = sandbox.newId();
        CliResult create = sandbox.cli().invoke("--log", log.toString(), "--log-format", "json",
                "create", "--bundle", bundle.dir().toString(), id);
        assertThat(create.exitCode()).as(create.describe()).isNotZero();
        assertThat(log).as(create.describe()).exists();
        List<Map<String, Object>> entries = Files.readAllLines(log).stream()
                .filter(line -> !line.isBlank())
                .map(Json::parseObject)
                .toList();
        assertThat(entries).as(create.describe())
                .anyMatch(e -> "error".equals(e.get("level")) && String.valueOf(e.get("msg")).contains("no-such-rootfs"));
        sandbox.assertNothingLeft(id, create);
    }

    @Test
    void textLogFormatAndDebugAreAccepted() throws Exception {
        Path log = sandbox.dir().resolve("runtime.log");
        CliResult list = sandbox.cli().invoke("--debug", "--log", log.toString(), "--log-format", "text",
                "list", "--format", "json");
        assertThat(list.exitCode()).as(list.describe()).isZero();
        String out = containers.output(OciSpec.runcDefault().shell("echo with-debug"));
        assertThat(out).isEqualTo("with-debug");
    }
}
