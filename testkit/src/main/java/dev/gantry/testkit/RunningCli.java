package dev.gantry.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A runtime invocation still in flight, such as a foreground {@code run}. */
public final class RunningCli {
    private final List<String> command;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startNanos = System.nanoTime();

    RunningCli(List<String> command, Process process, Path stdout, Path stderr) {
        this.command = List.copyOf(command);
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it has written so far. */
    public String stdoutSoFar() {
        return CliResult.read(stdout);
    }

    /** The command and what it printed so far, for assertion messages while it still runs. */
    public String describeSoFar() {
        return "\n$ " + String.join(" ", command) + " (still running)"
                + "\n  stdout: " + stdoutSoFar().strip()
                + "\n  stderr: " + CliResult.read(stderr).strip();
    }

    /**
     * Waits for the invocation to exit. On timeout it is killed and the test fails with
     * whatever it printed, since a hung runtime must not hang the suite.
     */
    public CliResult await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError("runtime command did not finish within " + timeout.toMillis() + " ms:"
                        + result(-1).describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new AssertionError("interrupted waiting for " + String.join(" ", command), e);
        }
        return result(process.exitValue());
    }

    /** SIGKILLs the invocation (not the container: the sandbox deletes that) and reaps it. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CliResult result(int exitCode) {
        return new CliResult(command, exitCode, CliResult.read(stdout), CliResult.read(stderr),
                Duration.ofNanos(System.nanoTime() - startNanos), stdout, stderr);
    }
}
