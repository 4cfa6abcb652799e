package dev.gantry.image.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressRenderersTest {
    @Test
    void plainLinesAreThrottledToTenths() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PlainProgress p = new PlainProgress(new PrintStream(buf, true, StandardCharsets.UTF_8));
        p.onEvent(new ProgressEvent.Started("abc", 1000));
        for (int i = 1; i <= 1000; i++) {
            p.onEvent(new ProgressEvent.Advanced("abc", i, 1000));
        }
        p.onEvent(new ProgressEvent.Completed("abc"));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out.lines().filter(l -> l.contains(" / ")).count()).isEqualTo(11);
        assertThat(out).contains("abc: transferring 1.0kB", "abc: complete");
    }

    @Test
    void terminalRedrawsOneLinePerLayer() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TerminalProgress t = new TerminalProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), 0);
        t.onEvent(new ProgressEvent.Started("aaa", 100));
        t.onEvent(new ProgressEvent.Started("bbb", 100));
        t.onEvent(new ProgressEvent.Advanced("aaa", 50, 100));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\u001b[2A");
        assertThat(TerminalProgress.bar(50, 100)).startsWith("Downloading [" + "=".repeat(19) + ">" + " ".repeat(20) + "]");
        assertThat(TerminalProgress.bar(100, 100)).contains("=".repeat(40));
    }
}
