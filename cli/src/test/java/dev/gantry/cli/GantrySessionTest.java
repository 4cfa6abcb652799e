package dev.gantry.cli;

import static dev.gantry.cli.PrivateGantryd.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * gantry as a user meets it: a terminal session through a pty ({@code run -it}, resize, ctrl-c
 * as a key, detach keys, then attach), and gantryd started by gantry itself on a fresh socket.
 */
@SharedPrivateGantryd
class GantrySessionTest {
    private final PrivateGantryd d;

    GantrySessionTest(PrivateGantryd d) {
        this.d = d;
    }

    @Test
    void interactiveTerminalResizesAndDetaches() throws Exception {
        Path script = Path.of(getClass().getResource("/tty_session.py").toURI());
        var session = PrivateGantryd.exec(List.of("python3", script.toString(), PrivateGantryd.GANTRY, d.socket.toString(), IMAGE, "tty"), Map.of(), null);
        assertThat(session.out().lines().toList()).as(session.describe()).containsExactly("prompt: ok", "size: ok", "resize: ok",
                "ctrl-c reaches the shell: ok", "gantry survived ctrl-c: ok", "exit: 0");
        assertThat(d.ok("inspect", "--format", "{{.State.Status}} {{.Config.Tty}}", "tty")).as("detached, not stopped").isEqualTo("running true\n");
        d.ok("rm", "-f", "tty");
        // attach to a running TTY container (stdin from a file): the shell runs what it reads and exits with its code.
        d.ok("run", "-dit", "--name", "tty2", IMAGE, "sh");
        var attached = d.gantryWithInput("echo via-attach\nexit 5\n", "attach", "tty2");
        assertThat(attached.code()).as(attached.describe()).isEqualTo(5);
        assertThat(attached.out()).contains("via-attach");
        d.ok("rm", "tty2");
    }

    @Test
    void signalsAreProxiedToANonTtyContainer() throws Exception {
        Process run = new ProcessBuilder(PrivateGantryd.GANTRY, "-H", "unix://" + d.socket, "run", "--rm", "--name", "sigbox", IMAGE,
                "sh", "-c", "trap 'echo got-term; exit 42' TERM; echo ready; while true; do sleep 0.1; done")
                .redirectErrorStream(true).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(run.getInputStream()));
            assertThat(out.readLine()).isEqualTo("ready");
            run.toHandle().destroy();
            assertThat(out.readLine()).isEqualTo("got-term");
            assertThat(run.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).isEqualTo(42);
        } finally {
            run.destroyForcibly();
            d.gantry("rm", "-f", "sigbox");
        }
    }

    @Test
    void startsGantrydWhenItsSocketIsAbsent() throws Exception {
        Path dir = Files.createTempDirectory("gantry-autostart-");
        Path socket = dir.resolve("s/gantry.sock");
        Path pidFile = dir.resolve("run/gantryd.pid");
        try {
            Map<String, String> env = Map.of("GANTRY_HOST", "unix://" + socket,
                    "GANTRYD_FLAGS", "--root " + dir.resolve("root") + " --exec-root " + dir.resolve("run"),
                    "PATH", Path.of(PrivateGantryd.GANTRYD).getParent() + ":/usr/bin:/bin");
            var first = PrivateGantryd.exec(List.of(PrivateGantryd.GANTRY, "ps"), env, null);
            assertThat(first.code()).as(first.describe()).isZero();
            assertThat(first.err()).startsWith("gantry: started gantryd (pid ").contains(dir.resolve("s/gantryd.log").toString());
            assertThat(first.out()).startsWith("CONTAINER ID");
            var second = PrivateGantryd.exec(List.of(PrivateGantryd.GANTRY, "ps", "-q"), env, null);
            assertThat(second.err()).as("the running daemon is used").isEmpty();
            assertThat(Files.exists(pidFile)).isTrue();
            // A daemon killed without clean-up leaves its socket: gantry starts a new one on it.
            long killed = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(killed).orElseThrow().destroyForcibly();
            ProcessHandle.of(killed).ifPresent(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS).join());
            assertThat(socket).exists();
            var third = PrivateGantryd.exec(List.of(PrivateGantryd.GANTRY, "ps", "-q"), env, null);
            assertThat(third.code()).as(third.describe()).isZero();
            assertThat(third.err()).startsWith("gantry: started gantryd (pid ");
        } finally {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(t -> {
                        h.destroyForcibly();
                        return h;
                    }).join();
                });
            }
            TestFiles.delete(dir);
        }
    }
}
