package dev.gantry.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessPluginExecutorTest {
    @TempDir
    Path tmp;

    Path script(String body) throws IOException {
        Path file = tmp.resolve("plugin");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void passesEnvironmentAndStdinAndCollectsBothOutputs() throws IOException {
        Path plugin = script("read conf; echo \"$CNI_COMMAND $conf\"; echo diag >&2; exit 3");

        PluginExecutor.Outcome outcome = new ProcessPluginExecutor(Duration.ofSeconds(10))
                .run(plugin, Map.of("CNI_COMMAND", "ADD"), "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(new String(outcome.stdout(), StandardCharsets.UTF_8)).isEqualTo("ADD {\"a\":1}\n");
        assertThat(outcome.stderr()).isEqualTo("diag\n");
    }

    @Test
    void aPluginThatHangsIsKilledAtTheTimeout() throws IOException {
        Path plugin = script("exec sleep 30");
        long start = System.nanoTime();

        assertThatThrownBy(() -> new ProcessPluginExecutor(Duration.ofMillis(300)).run(plugin, Map.of("CNI_COMMAND", "ADD"), new byte[0]))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT))
                .hasMessageContaining("ADD: no answer within 300 ms; killed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
