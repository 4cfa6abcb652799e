package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.runtimes.OciRuntime;
import dev.gantry.engine.runtimes.Runtimes;
import dev.gantry.sys.RecordingSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeOptionsTest {
    @TempDir
    Path tmp;

    private Path empty() throws Exception {
        return Files.writeString(tmp.resolve("empty.json"), "{}");
    }

    private Runtimes build(RuntimeOptions o) {
        return o.build(new RecordingSyscalls().syscalls(), null, tmp.resolve("state"), () -> null);
    }

    private static Map<String, String> paths(Runtimes r) {
        return r.all().stream().collect(Collectors.toMap(OciRuntime::name, x -> x.path().map(Path::toString).orElse("")));
    }

    @Test
    void addRuntimeAndDefaultRuntimeFlagsAreParsed() {
        DaemonOptions o = DaemonOptions.parse(List.of("--add-runtime", "mine=/bin/true", "--add-runtime=other=/bin/false",
                "--default-runtime", "mine", "--config-file", tmp.resolve("none.json").toString()));
        assertThat(o.runtimes().added()).containsEntry("mine", "/bin/true").containsEntry("other", "/bin/false");
        assertThat(o.runtimes().defaultRuntime()).isEqualTo("mine");
        assertThat(o.runtimes().configFile()).isEqualTo(tmp.resolve("none.json"));
        assertThatThrownBy(() -> DaemonOptions.parse(List.of("--add-runtime", "nopath"))).hasMessageContaining("expected name=path");
        assertThatThrownBy(() -> DaemonOptions.parse(List.of("--add-runtime", "a=/x", "--add-runtime", "a=/y")))
                .hasMessageContaining("given twice");
    }

    @Test
    void theInProcessRuntimeIsTheDefaultAndRuncOnPathIsRegistered() throws Exception {
        Runtimes r = build(RuntimeOptions.defaults().withConfigFile(empty())
                .withAdded("true=/bin/true"));
        assertThat(r.defaultName()).isEqualTo("gantry");
        assertThat(paths(r)).containsEntry("gantry", "").containsEntry("true", "/bin/true");
        if (RuntimeOptions.onPath("runc").isPresent()) {
            assertThat(paths(r)).containsEntry("runc", RuntimeOptions.onPath("runc").get().toString());
        }
    }

    @Test
    void theConfigFileAddsRuntimesWithArgumentsAndChoosesTheDefault() throws Exception {
        Path file = tmp.resolve("daemon.json");
        Files.writeString(file, """
                {"runtimes": {"runc": {"path": "/bin/true", "runtimeArgs": ["--debug"]}, "f": {"path": "false"}},
                 "default-runtime": "runc", "log-level": "info"}
                """);
        Runtimes r = build(RuntimeOptions.defaults().withConfigFile(file));
        assertThat(r.defaultName()).isEqualTo("runc");
        assertThat(paths(r)).containsEntry("runc", "/bin/true").containsKey("f");
        assertThat(paths(r).get("f")).endsWith("/false");
        // A command-line default wins over the file's.
        assertThat(build(RuntimeOptions.defaults().withConfigFile(file).withDefault("gantry")).defaultName()).isEqualTo("gantry");
    }

    @Test
    void conflictsAndBadEntriesAreRefused() throws Exception {
        Path file = tmp.resolve("daemon.json");
        Files.writeString(file, "{\"runtimes\": {\"x\": {\"path\": \"/bin/true\"}}}");
        assertThatThrownBy(() -> build(RuntimeOptions.defaults().withConfigFile(file).withAdded("x=/bin/false")))
                .hasMessageContaining("both by --add-runtime and in");
        assertThatThrownBy(() -> build(RuntimeOptions.defaults().withConfigFile(empty()).withAdded("gantry=/bin/true")))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> build(RuntimeOptions.defaults().withConfigFile(empty()).withAdded("y=no-such-binary-here")))
                .hasMessageContaining("not found on PATH");
        assertThatThrownBy(() -> build(RuntimeOptions.defaults().withConfigFile(empty()).withDefault("nosuch")))
                .hasMessageContaining("default runtime \"nosuch\"");
        Files.writeString(file, "{\"runtimes\": {\"x\": {}}}");
        assertThatThrownBy(() -> build(RuntimeOptions.defaults().withConfigFile(file))).hasMessageContaining("runtimes.x.path is missing");
        assertThatThrownBy(() -> build(RuntimeOptions.defaults().withConfigFile(tmp.resolve("absent.json"))))
                .hasMessageContaining("config file");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> build(RuntimeOptions.defaults().withConfigFile(file))).hasMessageContaining("config file");
    }
}
