package dev.gantry.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the small C programs the kernel-facing tests run, with the host's gcc. */
final class Gcc {
    private Gcc() {
    }

    /**
     * Writes {@code source} to {@code dir/name.c} and compiles it into {@code dir/name}, which it
     * returns; {@code libs} go after the source, where the linker wants them. {@code what} names
     * the compiler run in the failure message (and what it needs installed).
     */
    static Path build(Path dir, String name, String source, String what, String... libs) throws IOException, InterruptedException {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        Path binary = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O1", "-o", binary.toString(), c.toString()));
        cmd.addAll(List.of(libs));
        Process gcc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor()).as("%s: %s", what, output).isZero();
        return binary;
    }
}
