package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives an OCI runtime binary with runc's command line ({@code <binary> --root <root> <verb>
 * ...}), one state root per test. Every invocation has a timeout, and its stdout/stderr are kept
 * in numbered files under the log directory so a failing assertion can show them.
 */
public final class RuntimeCli {
    /** System property naming the runtime under test (the gantry-runc launcher, or /usr/bin/runc). */
    public static final String PROPERTY = "gantry.runc";

    private final Path binary;
    private final Path root;
    private final Path logDir;
    private final Duration timeout;
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<RunningCli> started = new CopyOnWriteArrayList<>();

    public RuntimeCli(Path binary, Path root, Path logDir, Duration timeout) {
        this.binary = binary;
        this.root = root;
        this.logDir = logDir;
        this.timeout = timeout;
    }

    /** The runtime named by {@code -Dgantry.runc}; fails clearly when unset or not executable. */
    public static Path binaryFromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            throw new AssertionError("system property " + PROPERTY
                    + " is not set: pass -D" + PROPERTY + "=<runtime binary>, e.g. /usr/bin/runc");
        }
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isExecutable(path)) {
            throw new AssertionError(PROPERTY + "=" + path + " is not an executable file"
                    + " (build runtime-cli first, or pass -D" + PROPERTY + "=/usr/bin/runc)");
        }
        return path;
    }

    public Path binary() {
        return binary;
    }

    public Path root() {
        return root;
    }

    /** Runs {@code <binary> --root <root> args...} to completion. */
    public CliResult invoke(String... args) {
        return start(null, List.of(args)).await(timeout);
    }

    /** As {@link #invoke} with the given working directory (e.g. for {@code spec}). */
    public CliResult invokeIn(Path workDir, String... args) {
        return start(workDir, List.of(args)).await(timeout);
    }

    /** Starts an invocation that keeps running (a foreground {@code run}); the sandbox kills it if left. */
    public RunningCli start(String... args) {
        return start(null, List.of(args));
    }

    /** The parsed {@code state <id>}; fails with the runtime's output if it does not succeed. */
    public ContainerState state(String id) {
        CliResult result = invoke("state", id).assertSuccess();
        try {
            return Json.parse(result.stdout(), ContainerState.class);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("state printed no valid state JSON:" + result.describe(), e);
        }
    }

    /** The parsed {@code list --format json}; an empty list when the runtime prints {@code null}. */
    public List<ContainerState> list() {
        CliResult result = invoke("list", "--format", "json").assertSuccess();
        String out = result.stdout().strip();
        if (out.isEmpty() || out.equals("null")) {
            return List.of();
        }
        try {
            return List.of(Json.MAPPER.readValue(out, ContainerState[].class));
        } catch (IOException e) {
            throw new AssertionError("list --format json printed no valid JSON:" + result.describe(), e);
        }
    }

    /** Every invocation started through {@link #start(String...)}, for cleanup. */
    List<RunningCli> started() {
        return List.copyOf(started);
    }

    private RunningCli start(Path workDir, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--root");
        command.add(root.toString());
        command.addAll(args);
        int n = sequence.incrementAndGet();
        String verb = args.isEmpty() ? "none" : args.getFirst().replaceAll("[^A-Za-z0-9-]", "");
        Path out = logDir.resolve(String.format("%03d-%s.out", n, verb));
        Path err = logDir.resolve(String.format("%03d-%s.err", n, verb));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        try {
            Files.createDirectories(logDir);
            RunningCli running = new RunningCli(command, builder.start(), out, err);
            started.add(running);
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + String.join(" ", command), e);
        }
    }
}
