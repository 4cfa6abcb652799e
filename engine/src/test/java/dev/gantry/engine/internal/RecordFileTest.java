package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFileTest {
    @TempDir
    Path dir;

    private void file(String name, String content) throws Exception {
        Files.writeString(dir.resolve(name), content);
    }

    @Test
    void readAllTakesEachRecordsNewestWholeGenerationAndDeletesTheRest() throws Exception {
        file("a.json", "{\"v\":\"a0\"}");
        file("a.3.json", "{\"v\":\"a3\"}");
        file("a.4.json", "{\"v\":\"a4\"");
        file("b.json", "{\"v\":\"b0\"}");
        file(".c.json.tmp", "{\"v\":");
        Map<String, RecordFile.Found<String>> all = RecordFile.readAll(dir, (bytes, name) -> new String(bytes, StandardCharsets.UTF_8));
        assertThat(all).containsOnlyKeys("a", "b");
        assertThat(all.get("a").generation()).as("generation 4 was cut short").isEqualTo(3);
        assertThat(all.get("a").value()).contains("a3");
        assertThat(all.get("b").generation()).as("the name AtomicFiles wrote").isZero();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.3.json", "b.json");
        }
    }

    @Test
    void aWriteReplacesTheGenerationItIsGivenAndDeleteRemovesIt() throws Exception {
        long first = RecordFile.write(dir, "x", -1, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), false);
        long second = RecordFile.write(dir, "x", first, "{\"n\":2}".getBytes(StandardCharsets.UTF_8), true);
        assertThat(second).isEqualTo(first + 1);
        assertThat(RecordFile.readAll(dir, (bytes, name) -> new String(bytes, StandardCharsets.UTF_8)).get("x").value())
                .isEqualTo("{\"n\":2}");
        RecordFile.delete(dir, "x", second);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
