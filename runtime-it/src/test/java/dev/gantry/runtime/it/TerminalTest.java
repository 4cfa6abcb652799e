package dev.gantry.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.CliResult;
import dev.gantry.testkit.ConsoleSocket;
import dev.gantry.testkit.Deadline;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.PtyMaster;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RunningCli;
import dev.gantry.testkit.RuntimeSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** process.terminal: the pty master arrives over --console-socket (SCM_RIGHTS) and drives a shell. */
@RequiresRoot
class TerminalTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    @Test
    void interactiveShellThroughTheConsoleSocket() {
        String id = sandbox.newId();
        var bundle = sandbox.bundle(OciSpec.runcDefault().terminal(true).args("sh"));
        try (ConsoleSocket socket = ConsoleSocket.listen(sandbox.dir().resolve("console.sock"))) {
            RunningCli create = sandbox.cli().start("create", "--bundle", bundle.dir().toString(),
                    "--console-socket", socket.path().toString(), id);
            try (PtyMaster pty = socket.accept(WAIT, create)) {
                CliResult created = create.await(WAIT);
                assertThat(created.exitCode()).as(created.describe()).isZero();
                sandbox.cli().invoke("start", id).assertSuccess();

                pty.write("echo hi-$((40+2))\n");
                pty.awaitOutput("hi-42", WAIT);
                pty.write("tty; [ -e /dev/console ] && echo console-present; echo done-$((1+1))\n");
                String out = pty.awaitOutput("done-2", WAIT);
                assertThat(out).containsAnyOf("/dev/pts/0", "/dev/console").contains("console-present");

                pty.write("exit 3\n");
                containers.awaitStatus(id, "stopped");
            }
        }
    }

    /** As containerd does it: {@code exec -d -t --console-socket} (runc refuses a console socket without -d). */
    @Test
    void detachedExecWithTerminalThroughTheConsoleSocket() throws Exception {
        Containers.Made made = containers.started(OciSpec.runcDefault().args("sleep", "1000"));
        Path pidFile = sandbox.dir().resolve("exec.pid");
        try (ConsoleSocket socket = ConsoleSocket.listen(sandbox.dir().resolve("exec.sock"))) {
            RunningCli exec = sandbox.cli().start("exec", "-d", "-t", "--console-socket", socket.path().toString(),
                    "--pid-file", pidFile.toString(), made.id(), "sh");
            try (PtyMaster pty = socket.accept(WAIT, exec)) {
                CliResult started = exec.await(WAIT);
                assertThat(started.exitCode()).as(started.describe()).isZero();
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                pty.write("echo exec-$((20+22)); tty\n");
                pty.awaitOutput("exec-42", WAIT);
                pty.awaitOutput("/dev/pts/", WAIT);
                pty.write("exit 5\n");
                Deadline.await(WAIT, () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true),
                        () -> "exec'd shell " + pid + " to exit; terminal printed: " + pty.transcript());
            }
        }
        assertThat(sandbox.cli().state(made.id()).status()).isEqualTo("running");
    }

    @Test
    void detachedRunWithTerminalSendsThePty() {
        String id = sandbox.newId();
        var bundle = sandbox.bundle(OciSpec.runcDefault().terminal(true).args("sh"));
        try (ConsoleSocket socket = ConsoleSocket.listen(sandbox.dir().resolve("console.sock"))) {
            RunningCli run = sandbox.cli().start("run", "-d", "--bundle", bundle.dir().toString(),
                    "--console-socket", socket.path().toString(), id);
            try (PtyMaster pty = socket.accept(WAIT, run)) {
                CliResult started = run.await(WAIT);
                assertThat(started.exitCode()).as(started.describe()).isZero();
                pty.write("tty >/dev/null && echo tty-$((6*7))\n");
                pty.awaitOutput("tty-42", WAIT);
            }
        }
    }
}
