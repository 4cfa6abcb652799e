package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydProcess.DOCKER;
import static dev.gantry.daemon.GantrydProcess.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /exec/{id}/resize}: the docker CLI sizes an exec's terminal to its own. */
@SharedGantryd
class GantrydExecResizeTest {
    private final GantrydProcess gantryd;

    GantrydExecResizeTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    @BeforeAll
    void startBox() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "box", IMAGE, "sleep", "300");
    }

    private String curl(String method, String path, String body) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-X", method, "-w", "\n%{http_code}", "--unix-socket", gantryd.socket.toString(),
                "-H", "Content-Type: application/json", "-d", body, "http://localhost" + path).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @Test
    void theCliSizesTheExecTerminalToItsOwn() throws Exception {
        // script(1) gives the CLI a terminal of 33 rows and 77 columns; the CLI resizes the exec's to match.
        Process p = new ProcessBuilder("script", "-qec", "stty rows 33 cols 77; " + DOCKER + " -H unix://" + gantryd.socket
                + " exec -t box sh -c 'sleep 0.5; stty size'", "/dev/null").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("33 77").doesNotContain("rror");
    }

    @Test
    void resizingWhatHasNoTerminalOrIsUnknownIsRefused() throws Exception {
        String created = curl("POST", "/containers/box/exec", "{\"Cmd\":[\"true\"]}");
        String execId = created.substring(created.indexOf("\"Id\":\"") + 6, created.indexOf("\"Id\":\"") + 6 + 64);
        assertThat(curl("POST", "/exec/" + execId + "/resize?h=10&w=10", "")).endsWith("\n409").contains("has no TTY");
        String tty = curl("POST", "/containers/box/exec", "{\"Cmd\":[\"true\"],\"Tty\":true}");
        String ttyId = tty.substring(tty.indexOf("\"Id\":\"") + 6, tty.indexOf("\"Id\":\"") + 6 + 64);
        assertThat(curl("POST", "/exec/" + ttyId + "/resize?h=10&w=10", "")).endsWith("\n409").contains("is not running");
        assertThat(curl("POST", "/exec/" + ttyId + "/resize?h=0&w=10", "")).endsWith("\n400");
        assertThat(curl("POST", "/exec/" + "0".repeat(64) + "/resize?h=10&w=10", "")).endsWith("\n404");
    }
}
