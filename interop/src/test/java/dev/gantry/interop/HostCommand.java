package dev.gantry.interop;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a host program to completion with a deadline, stdin from /dev/null, and captures both outputs. */
final class HostCommand {

    /** What a finished program left behind. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** One paragraph for assertion messages: the command line, its exit code and both outputs. */
        String describe() {
            return String.join(" ", command) + "\n  exit " + exitCode + "\n  stdout: " + stdout.strip() + "\n  stderr: " + stderr.strip();
        }
    }

    private HostCommand() {
    }

    static Result run(Map<String, String> env, Duration timeout, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
        // Both pipes are drained concurrently so a chatty program never blocks on a full pipe.
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
            }
            return new Result(List.copyOf(command), process.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command.getFirst(), e);
        } catch (ExecutionException e) {
            throw new AssertionError("cannot read the output of " + command.getFirst(), e.getCause());
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }
}
