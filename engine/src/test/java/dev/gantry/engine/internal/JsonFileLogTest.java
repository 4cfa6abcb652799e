package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.LogConfig;
import dev.gantry.engine.LogEntry;
import dev.gantry.engine.LogOptions;
import dev.gantry.engine.LogStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileLogTest {
    @TempDir
    Path dir;

    private static void write(JsonFileLog log, LogStream s, String line, Instant t) throws Exception {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        log.write(s, t, b, 0, b.length);
    }

    private List<String> read(Path file, int maxFile, LogOptions opts) throws Exception {
        List<String> out = new ArrayList<>();
        new LogReader(file, maxFile).read(opts, () -> false, e -> out.add(e.stream().wire() + ":" + new String(e.line(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void entriesAreDockersJsonLines() throws Exception {
        Path f = dir.resolve("c-json.log");
        try (JsonFileLog log = new JsonFileLog(f, LogConfig.DEFAULT)) {
            write(log, LogStream.STDERR, "quote \" and é\n", Instant.parse("2024-05-01T10:00:00.123456789Z"));
        }
        assertThat(Files.readString(f)).isEqualTo(
                "{\"log\":\"quote \\\" and é\\n\",\"stream\":\"stderr\",\"time\":\"2024-05-01T10:00:00.123456789Z\"}\n");
        LogEntry e = LogReader.parse(Files.readString(f).strip().getBytes(StandardCharsets.UTF_8));
        assertThat(new String(e.line(), StandardCharsets.UTF_8)).isEqualTo("quote \" and é\n");
        assertThat(e.time()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456789Z"));
    }

    @Test
    void rotationKeepsMaxFileFilesAndReadingSpansThemInOrder() throws Exception {
        Path f = dir.resolve("c-json.log");
        Instant t = Instant.parse("2024-05-01T10:00:00Z");
        try (JsonFileLog log = new JsonFileLog(f, new LogConfig(200, 3))) {
            for (int i = 0; i < 20; i++) {
                write(log, i % 2 == 0 ? LogStream.STDOUT : LogStream.STDERR, "line " + i + "\n", t.plusSeconds(i));
            }
        }
        assertThat(f.resolveSibling("c-json.log.1")).exists();
        assertThat(f.resolveSibling("c-json.log.2")).exists();
        assertThat(f.resolveSibling("c-json.log.3")).doesNotExist();
        for (String name : List.of("c-json.log", "c-json.log.1", "c-json.log.2")) {
            assertThat(Files.size(dir.resolve(name))).isLessThanOrEqualTo(200);
        }
        List<String> all = read(f, 3, LogOptions.ALL);
        assertThat(all).isNotEmpty().last().isEqualTo("stderr:line 19\n");
        for (int i = 1; i < all.size(); i++) {
            int prev = Integer.parseInt(all.get(i - 1).replaceAll("\\D", ""));
            int cur = Integer.parseInt(all.get(i).replaceAll("\\D", ""));
            assertThat(cur).isEqualTo(prev + 1);
        }
        assertThat(read(f, 3, new LogOptions(true, false, false, 2, null, null)))
                .containsExactly("stdout:line 16\n", "stdout:line 18\n");
        assertThat(read(f, 3, new LogOptions(true, true, false, -1, t.plusSeconds(17), t.plusSeconds(19))))
                .containsExactly("stderr:line 17\n", "stdout:line 18\n");
    }

    @Test
    void maxFileOneTruncates() throws Exception {
        Path f = dir.resolve("c-json.log");
        try (JsonFileLog log = new JsonFileLog(f, new LogConfig(150, 1))) {
            for (int i = 0; i < 10; i++) {
                write(log, LogStream.STDOUT, "entry " + i + "\n", Instant.now());
            }
        }
        assertThat(Files.size(f)).isLessThanOrEqualTo(150);
        assertThat(read(f, 1, LogOptions.ALL)).last().isEqualTo("stdout:entry 9\n");
    }

    @Test
    void optionsParseDockersUnits() {
        assertThat(LogConfig.parse("json-file", java.util.Map.of("max-size", "10m", "max-file", "3")))
                .isEqualTo(new LogConfig(10L << 20, 3, java.util.Map.of("max-size", "10m", "max-file", "3")));
        assertThat(LogConfig.parseSize("512k")).isEqualTo(512L << 10);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogConfig.parse("syslog", null)).hasMessageContaining("json-file");
    }
}
