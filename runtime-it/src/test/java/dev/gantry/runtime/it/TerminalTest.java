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

    /**
     * A foreground {@code run} of a terminal container on the user's own terminal (here a pty
     * that python3's pty module makes the controlling terminal of gantry-runc): resizing that
     * terminal (SIGWINCH to its foreground process group) resizes the container's.
     */
    @Test
    void foregroundRunFollowsWindowResizes() throws Exception {
        String id = sandbox.newId();
        var bundle = sandbox.bundle(OciSpec.runcDefault().terminal(true).args("sh"));
        Path driver = sandbox.dir().resolve("resize.py");
        Files.writeString(driver, RESIZE_DRIVER);
        Process p = new ProcessBuilder("python3", driver.toString(), sandbox.cli().binary().toString(),
                "--root", sandbox.cli().root().toString(), "run", "--bundle", bundle.dir().toString(), id)
                .redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the pty driver finished").isTrue();
            String transcript = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as(transcript).isZero();
            assertThat(transcript).contains("size-41x101");
        } finally {
            // run deletes its container on exit; the sandbox removes it if the run did not end.
            p.destroyForcibly().waitFor();
        }
    }

    /** Starts argv on a new pty, waits for the shell, resizes the pty, asks the container for its size. */
    private static final String RESIZE_DRIVER = """
            import fcntl, os, pty, select, struct, sys, termios, time
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], sys.argv[1:])
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            out, deadline, step = b"", time.time() + 25, 0
            os.write(fd, b"echo ready-$((6*7))\\n")
            while time.time() < deadline and step < 3:
                if select.select([fd], [], [], 0.2)[0]:
                    try:
                        data = os.read(fd, 4096)
                    except OSError:
                        break
                    if not data:
                        break
                    out += data
                if step == 0 and b"ready-42" in out:
                    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 41, 101, 0, 0))
                    time.sleep(0.5)
                    os.write(fd, b"stty size | sed 's/ /x/; s/^/size-/'; exit\\n")
                    step = 1
                if step == 1 and b"size-" in out.split(b"exit")[-1]:
                    step = 2
            sys.stdout.write(out.decode(errors="replace"))
            os.waitpid(pid, 0)
            """;
}
