package dev.gantry.engine.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.OciJson;
import dev.gantry.sys.ExitStatus;
import dev.gantry.sys.SpawnRequest;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an OCI runtime binary with runc's command line: {@code <binary> [runtimeArgs] --root
 * <root> --log <file> --log-format json <command> ...}. A failed call becomes a
 * {@link GantryException} whose message is the runtime's own last error line, with a kind
 * read from it (runc has no error codes, only messages).
 */
final class RuntimeCli {
    private static final long TIMEOUT_SECONDS = 60;

    private final Syscalls sys;
    private final String name;
    private final Path binary;
    private final List<String> runtimeArgs;
    private final Path stateRoot;
    private final Path work;

    RuntimeCli(Syscalls sys, String name, Path binary, List<String> runtimeArgs, Path stateRoot, Path work) {
        this.sys = sys;
        this.name = name;
        this.binary = binary;
        this.runtimeArgs = List.copyOf(runtimeArgs);
        this.stateRoot = stateRoot;
        this.work = work;
    }

    /** Runs a command that needs no descriptors of ours; returns what it printed on stdout. */
    String call(List<String> command) {
        Path log = logFile();
        List<String> argv = argv(log, command);
        try {
            java.lang.Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new GantryException(ErrorKind.TIMEOUT, name + " " + command.getFirst() + ": no answer in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw failure(command, log, "exit status " + p.exitValue());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "running " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while running " + binary, e);
        } finally {
            deleteQuietly(log);
        }
    }

    /**
     * Runs a command whose fds 0–2 are the container's (create, exec: the runtime hands them
     * on to the process it starts) and waits for it. The runtime is spawned directly rather
     * than through ProcessBuilder, which cannot place our descriptors in a child.
     */
    void spawn(List<String> command, Map<Integer, Integer> stdio) {
        Path log = logFile();
        try {
            int pid = sys.spawn(new SpawnRequest(binary.toString(), argv(log, command), environment(), stdio));
            int pidfd = sys.pidfdOpen(pid);
            ExitStatus st;
            try {
                st = sys.waitPidfd(pidfd);
            } finally {
                sys.close(pidfd);
            }
            if (st.shellCode() != 0) {
                throw failure(command, log, st.signaled() ? "killed by signal " + st.value() : "exit status " + st.value());
            }
        } finally {
            deleteQuietly(log);
        }
    }

    Path work() {
        return work;
    }

    private List<String> argv(Path log, List<String> command) {
        List<String> argv = new ArrayList<>();
        argv.add(binary.toString());
        argv.addAll(runtimeArgs);
        argv.addAll(List.of("--root", stateRoot.toString(), "--log", log.toString(), "--log-format", "json"));
        argv.addAll(command);
        return argv;
    }

    private Path logFile() {
        try {
            Files.createDirectories(work);
            return Files.createTempFile(work, "call-", ".log");
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "runtime " + name + ": work directory " + work + ": " + e.getMessage(), e);
        }
    }

    private GantryException failure(List<String> command, Path log, String status) {
        String message = lastError(log);
        String text = name + " " + command.getFirst() + ": " + (message.isEmpty() ? status : message);
        return new GantryException(kindOf(message), text);
    }

    /** The last error-level message of a JSON log (runc writes one object per line). */
    static String lastError(Path log) {
        String last = "";
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = OciJson.mapper().readTree(line);
                    String level = n.path("level").asText("");
                    if (level.equals("error") || level.equals("fatal")) {
                        last = n.path("msg").asText("");
                    }
                } catch (IOException e) {
                    last = line.strip();
                }
            }
        } catch (IOException e) {
            return "";
        }
        return last;
    }

    /** The error kind a runtime's message describes: runc's wording, which other runtimes share. */
    static ErrorKind kindOf(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("container does not exist") || m.contains("container not found")
                || m.contains("executable file not found") || m.contains("no such file or directory")) {
            return ErrorKind.NOT_FOUND;
        }
        if (m.contains("permission denied")) {
            return ErrorKind.PERMISSION_DENIED;
        }
        if (m.contains("not running") || m.contains("not paused") || m.contains("is stopped") || m.contains("is paused")
                || m.contains("already exists") || m.contains("cannot ")) {
            return ErrorKind.CONFLICT;
        }
        return ErrorKind.UNAVAILABLE;
    }

    private static List<String> environment() {
        List<String> env = new ArrayList<>();
        System.getenv().forEach((k, v) -> env.add(k + "=" + v));
        return env;
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // A leftover log of a few bytes in the work directory is harmless.
        }
    }
}
