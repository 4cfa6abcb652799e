package dev.gantry.daemon.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.oci.runtime.Signals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code changes} of an image import or a commit ({@code docker import --change},
 * {@code docker commit --change}): Dockerfile instructions that set the image's configuration.
 * The instructions are those Docker accepts there (docker-commit(1)): CMD, ENTRYPOINT, ENV,
 * EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR; anything else is
 * INVALID_ARGUMENT naming it. Arguments are checked as Docker's Dockerfile parser checks them;
 * LABEL, ENV and WORKDIR lose their quotes and escapes ({@link ChangeWords}), but nothing is
 * expanded: no {@code $VAR}.
 */
final class ImageChanges {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ImageChanges() {
    }

    /** {@code base} with every change applied in order; {@code base} itself when there are none. */
    static ContainerConfig apply(ContainerConfig base, List<String> changes) {
        if (changes == null || changes.isEmpty()) {
            return base;
        }
        Draft d = new Draft(base);
        for (String change : changes) {
            String line = change.strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = ChangeWords.indexOfSpace(line);
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String rest = space < 0 ? "" : line.substring(space).strip();
            d.apply(keyword, rest, line);
        }
        return d.build();
    }

    /** The configuration while changes are applied to it. */
    private static final class Draft {
        private final ContainerConfig base;
        private String user;
        private Map<String, Map<String, Object>> exposedPorts;
        private List<String> env;
        private List<String> entrypoint;
        private List<String> cmd;
        private Map<String, Map<String, Object>> volumes;
        private String workingDir;
        private Map<String, String> labels;
        private String stopSignal;
        private ContainerConfig.Healthcheck healthcheck;
        private List<String> onBuild;
        private boolean cmdSet;

        Draft(ContainerConfig base) {
            this.base = base;
            user = base.user();
            exposedPorts = base.exposedPorts() == null ? null : new LinkedHashMap<>(base.exposedPorts());
            env = base.env() == null ? null : new ArrayList<>(base.env());
            entrypoint = base.entrypoint();
            cmd = base.cmd();
            volumes = base.volumes() == null ? null : new LinkedHashMap<>(base.volumes());
            workingDir = base.workingDir();
            labels = base.labels() == null ? null : new LinkedHashMap<>(base.labels());
            stopSignal = base.stopSignal();
            healthcheck = base.healthcheck();
            onBuild = base.onBuild() == null ? null : new ArrayList<>(base.onBuild());
        }

        void apply(String keyword, String rest, String line) {
            if (rest.isEmpty() && !keyword.equals("CMD") && !keyword.equals("ENTRYPOINT")) {
                throw GantryException.invalid("changes: " + keyword + " needs an argument: " + line);
            }
            switch (keyword) {
                case "CMD" -> {
                    cmd = command(rest, line);
                    cmdSet = true;
                }
                case "ENTRYPOINT" -> {
                    entrypoint = command(rest, line);
                    // As a Dockerfile's ENTRYPOINT: a command inherited rather than set alongside it no longer applies.
                    if (!cmdSet) {
                        cmd = null;
                    }
                }
                case "ENV" -> {
                    env = env == null ? new ArrayList<>() : env;
                    for (Map.Entry<String, String> e : ChangeWords.pairs(keyword, rest, line).entrySet()) {
                        String prefix = e.getKey() + "=";
                        env.removeIf(v -> v.startsWith(prefix) || v.equals(e.getKey()));
                        env.add(prefix + e.getValue());
                    }
                }
                case "LABEL" -> {
                    labels = labels == null ? new LinkedHashMap<>() : labels;
                    labels.putAll(ChangeWords.pairs(keyword, rest, line));
                }
                case "EXPOSE" -> {
                    exposedPorts = exposedPorts == null ? new LinkedHashMap<>() : exposedPorts;
                    for (String port : rest.split("\\s+")) {
                        ports(port, line).forEach(p -> exposedPorts.put(p, Map.of()));
                    }
                }
                case "VOLUME" -> {
                    volumes = volumes == null ? new LinkedHashMap<>() : volumes;
                    List<String> paths = rest.startsWith("[") ? jsonArray(rest, line) : List.of(rest.split("\\s+"));
                    if (paths.isEmpty()) {
                        throw GantryException.invalid("changes: VOLUME requires at least one argument: " + line);
                    }
                    for (String p : paths) {
                        volumes.put(volume(p, line), Map.of());
                    }
                }
                case "USER" -> user = rest;
                case "WORKDIR" -> workingDir = workdir(workingDir, ChangeWords.unquote(rest, line));
                case "STOPSIGNAL" -> stopSignal = stopSignal(rest, line);
                case "ONBUILD" -> {
                    onBuild = onBuild == null ? new ArrayList<>() : onBuild;
                    onBuild.add(rest);
                }
                case "HEALTHCHECK" -> healthcheck = HealthcheckChange.parse(rest, line);
                default -> throw GantryException.invalid("changes: " + keyword
                        + " is not a valid change command (CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR): "
                        + line);
            }
        }

        /** The exec form (a JSON array) as is; the shell form run by the image's shell, as a Dockerfile does. */
        private List<String> command(String rest, String line) {
            if (rest.isEmpty()) {
                return null;
            }
            if (rest.startsWith("[")) {
                return jsonArray(rest, line);
            }
            List<String> shell = base.shell() == null || base.shell().isEmpty() ? List.of("/bin/sh", "-c") : base.shell();
            List<String> out = new ArrayList<>(shell);
            out.add(rest);
            return out;
        }

        ContainerConfig build() {
            return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
                    base.argsEscaped(), healthcheck, onBuild, base.shell());
        }
    }

    static List<String> jsonArray(String text, String line) {
        String[] values;
        try {
            values = JSON.readValue(text, String[].class);
        } catch (JsonProcessingException e) {
            values = null;
        }
        if (values == null || Arrays.asList(values).contains(null)) {
            throw GantryException.invalid("changes: not a JSON array of strings: " + line);
        }
        return List.of(values);
    }

    /**
     * {@code 8080}, {@code 8080/tcp}, {@code 53/udp}, or a range {@code 8000-8010/tcp}, as
     * Docker's {@code ExposedPorts} keys: one for each port of a range.
     */
    private static List<String> ports(String spec, String line) {
        int slash = spec.indexOf('/');
        String numbers = slash < 0 ? spec : spec.substring(0, slash);
        String proto = slash < 0 ? "tcp" : spec.substring(slash + 1).toLowerCase(Locale.ROOT);
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw GantryException.invalid("changes: EXPOSE protocol " + proto + " is not tcp, udp or sctp: " + line);
        }
        int dash = numbers.indexOf('-');
        int first = port(dash < 0 ? numbers : numbers.substring(0, dash), line);
        int last = dash < 0 ? first : port(numbers.substring(dash + 1), line);
        if (last < first) {
            throw GantryException.invalid("changes: EXPOSE port range " + numbers + " ends before it starts: " + line);
        }
        List<String> out = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            out.add(n + "/" + proto);
        }
        return out;
    }

    private static int port(String number, String line) {
        try {
            int n = Integer.parseInt(number);
            if (n < 1 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw GantryException.invalid("changes: EXPOSE port " + number + " is not between 1 and 65535: " + line);
        }
    }

    /** As Docker's VOLUME: the path without surrounding white space, never empty, absolute (a mount point in the container). */
    private static String volume(String path, String line) {
        String p = path.strip();
        if (p.isEmpty()) {
            throw GantryException.invalid("changes: VOLUME specified can not be an empty string: " + line);
        }
        if (!p.startsWith("/")) {
            throw GantryException.invalid("changes: VOLUME " + p + " is not an absolute path: " + line);
        }
        return p;
    }

    /**
     * As Docker's WORKDIR: an absolute path cleaned (Go's path.Clean: no empty, {@code .} or
     * {@code ..} elements, no trailing slash); a relative one joined to the previous working
     * directory ({@code /} when there is none) first.
     */
    private static String workdir(String previous, String requested) {
        String joined = requested.startsWith("/") ? requested
                : (previous == null || previous.isEmpty() ? "/" : previous) + "/" + requested;
        Deque<String> parts = new ArrayDeque<>();
        for (String part : joined.split("/")) {
            switch (part) {
                case "", "." -> {
                }
                case ".." -> parts.pollLast();
                default -> parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** As Docker's STOPSIGNAL: a signal name with or without SIG, in any case, or a number; kept as written. */
    private static String stopSignal(String signal, String line) {
        try {
            Signals.parse(signal);
        } catch (GantryException e) {
            throw GantryException.invalid("changes: STOPSIGNAL " + e.getMessage() + ": " + line);
        }
        return signal;
    }
}
