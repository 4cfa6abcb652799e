package dev.gantry.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.engine.runtimes.ExternalRuntime;
import dev.gantry.engine.runtimes.InProcessRuntime;
import dev.gantry.engine.runtimes.OciRuntime;
import dev.gantry.engine.runtimes.Runtimes;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which OCI runtimes gantryd offers, as dockerd configures them: {@code --add-runtime
 * name=path} (repeatable), the {@code runtimes} map of the daemon configuration file
 * ({@code {"runtimes": {"name": {"path": "...", "runtimeArgs": [...]}}}}, at
 * {@code --config-file}, by default {@value #DEFAULT_CONFIG_FILE} when it exists; its other
 * keys are not read), and {@code --default-runtime} (or the file's {@code default-runtime}).
 * The in-process runtime is always there as {@value InProcessRuntime#NAME}, the default unless
 * another is named; {@code runc}, when found on PATH, is registered as {@code runc} unless
 * configured otherwise. A name given twice is an error, as in dockerd.
 */
public record RuntimeOptions(Map<String, String> added, String defaultRuntime, Path configFile) {
    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/gantry/daemon.json");

    public RuntimeOptions {
        added = Map.copyOf(added);
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Map.of(), null, null);
    }

    /** With {@code name=path} added ({@code --add-runtime}). */
    public RuntimeOptions withAdded(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw GantryException.invalid("gantryd: --add-runtime " + spec + ": expected name=path");
        }
        String name = spec.substring(0, eq);
        if (added.containsKey(name)) {
            throw GantryException.invalid("gantryd: --add-runtime: runtime \"" + name + "\" is given twice");
        }
        Map<String, String> m = new LinkedHashMap<>(added);
        m.put(name, spec.substring(eq + 1));
        return new RuntimeOptions(m, defaultRuntime, configFile);
    }

    public RuntimeOptions withDefault(String name) {
        return new RuntimeOptions(added, name, configFile);
    }

    public RuntimeOptions withConfigFile(Path file) {
        return new RuntimeOptions(added, defaultRuntime, file);
    }

    /** One external runtime: its executable (as configured) and the arguments placed before each command. */
    record External(String path, List<String> args) {}

    /** Builds the runtimes; an external runtime's state goes below {@code stateRoot/<name>}. */
    public Runtimes build(Syscalls sys, ContainerRuntime inProcess, Path stateRoot, Supplier<Cgroups> cgroups) {
        Map<String, External> external = new LinkedHashMap<>();
        String fileDefault = null;
        Path file = configFile != null ? configFile : Files.exists(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : null;
        if (file != null) {
            JsonNode root = readConfig(file);
            root.path("runtimes").properties().forEach(e -> {
                List<String> args = new ArrayList<>();
                e.getValue().path("runtimeArgs").forEach(a -> args.add(a.asText()));
                String path = e.getValue().path("path").asText("");
                if (path.isEmpty()) {
                    throw GantryException.invalid("gantryd: " + file + ": runtimes." + e.getKey() + ".path is missing");
                }
                external.put(e.getKey(), new External(path, args));
            });
            fileDefault = root.path("default-runtime").isTextual() ? root.path("default-runtime").asText() : null;
        }
        for (Map.Entry<String, String> e : added.entrySet()) {
            if (external.containsKey(e.getKey())) {
                throw GantryException.invalid("gantryd: runtime \"" + e.getKey() + "\" is configured both by --add-runtime and in " + file);
            }
            external.put(e.getKey(), new External(e.getValue(), List.of()));
        }
        if (external.containsKey(InProcessRuntime.NAME)) {
            throw GantryException.invalid("gantryd: the runtime name \"" + InProcessRuntime.NAME + "\" is reserved for the in-process runtime");
        }
        if (!external.containsKey("runc")) {
            onPath("runc").ifPresent(p -> external.put("runc", new External(p.toString(), List.of())));
        }
        List<OciRuntime> all = new ArrayList<>();
        all.add(new InProcessRuntime(inProcess));
        external.forEach((name, x) -> all.add(new ExternalRuntime(sys, name, resolve(name, x.path()), x.args(),
                stateRoot.resolve(name), cgroups)));
        String chosen = defaultRuntime != null ? defaultRuntime : fileDefault != null ? fileDefault : InProcessRuntime.NAME;
        return new Runtimes(all, chosen);
    }

    private static JsonNode readConfig(Path file) {
        try {
            return JsonMapper.builder().build().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw GantryException.invalid("gantryd: config file " + file + ": " + e.getMessage());
        }
    }

    /** An absolute path as given; a bare name looked up on PATH, as dockerd does. */
    private static Path resolve(String name, String path) {
        if (path.startsWith("/")) {
            return Path.of(path);
        }
        return onPath(path).orElseThrow(() -> GantryException.invalid(
                "gantryd: runtime \"" + name + "\": " + path + " is not an absolute path and is not found on PATH"));
    }

    static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null || command.contains("/")) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
