package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one runtime invocation did. stdout/stderr went to files, not pipes: a container
 * started by {@code create} or {@code run -d} inherits them, and a pipe would keep the reader
 * waiting until the container exits. {@link #stdoutNow()} re-reads the file to see what the
 * container wrote later.
 */
public record CliResult(List<String> command, int exitCode, String stdout, String stderr,
                        Duration elapsed, Path stdoutFile, Path stderrFile) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The stdout file as it is now (the container may have written since the CLI exited). */
    public String stdoutNow() {
        return read(stdoutFile);
    }

    public String stderrNow() {
        return read(stderrFile);
    }

    /** A block for assertion messages: the command, exit code, stdout and stderr. */
    public String describe() {
        return "\n$ " + String.join(" ", command)
                + "\n  exit: " + exitCode + " (" + elapsed.toMillis() + " ms)"
                + "\n  stdout: " + indent(stdoutNow())
                + "\n  stderr: " + indent(stderrNow());
    }

    /** Throws with {@link #describe()} unless the exit code is 0. */
    public CliResult assertSuccess() {
        if (exitCode != 0) {
            throw new AssertionError("runtime command failed:" + describe());
        }
        return this;
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String indent(String text) {
        return text.isEmpty() ? "<empty>" : text.strip().replace("\n", "\n          ");
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
