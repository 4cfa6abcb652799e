package dev.gantry.daemon.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.ContainerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code changes} of an image import or a commit ({@code docker import --change},
 * {@code docker commit --change}): Dockerfile instructions that set the image's configuration.
 * The instructions are those Docker accepts there (docker-commit(1)): CMD, ENTRYPOINT, ENV,
 * EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR; anything else is
 * INVALID_ARGUMENT naming it. Values are taken literally: no {@code $VAR} expansion.
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
            int space = indexOfSpace(line);
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String rest = space < 0 ? "" : line.substring(space).strip();
            d.apply(keyword, rest, line);
        }
        return d.build();
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
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
                    for (Map.Entry<String, String> e : pairs(rest, line).entrySet()) {
                        String prefix = e.getKey() + "=";
                        env.removeIf(v -> v.startsWith(prefix) || v.equals(e.getKey()));
                        env.add(prefix + e.getValue());
                    }
                }
                case "LABEL" -> {
                    labels = labels == null ? new LinkedHashMap<>() : labels;
                    labels.putAll(pairs(rest, line));
                }
                case "EXPOSE" -> {
                    exposedPorts = exposedPorts == null ? new LinkedHashMap<>() : exposedPorts;
                    for (String port : rest.split("\\s+")) {
                        exposedPorts.put(port(port, line), Map.of());
                    }
                }
                case "VOLUME" -> {
                    volumes = volumes == null ? new LinkedHashMap<>() : volumes;
                    List<String> paths = rest.startsWith("[") ? jsonArray(rest, line) : List.of(rest.split("\\s+"));
                    for (String p : paths) {
                        volumes.put(p, Map.of());
                    }
                }
                case "USER" -> user = rest;
                case "WORKDIR" -> workingDir = rest.startsWith("/") ? rest
                        : (workingDir == null || workingDir.isEmpty() ? "/" : workingDir.endsWith("/") ? workingDir : workingDir + "/") + rest;
                case "STOPSIGNAL" -> stopSignal = rest;
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

    /** {@code 8080}, {@code 8080/tcp}, {@code 53/udp} as Docker's {@code ExposedPorts} key. */
    private static String port(String spec, String line) {
        int slash = spec.indexOf('/');
        String number = slash < 0 ? spec : spec.substring(0, slash);
        String proto = slash < 0 ? "tcp" : spec.substring(slash + 1).toLowerCase(Locale.ROOT);
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw GantryException.invalid("changes: EXPOSE protocol " + proto + " is not tcp, udp or sctp: " + line);
        }
        try {
            int n = Integer.parseInt(number);
            if (n < 1 || n > 65535) {
                throw new NumberFormatException();
            }
            return n + "/" + proto;
        } catch (NumberFormatException e) {
            throw GantryException.invalid("changes: EXPOSE port " + number + " is not between 1 and 65535: " + line);
        }
    }

    /**
     * {@code k=v k2="v 2"} (values may be double- or single-quoted, a backslash escapes the next
     * character), or the older {@code k v with spaces} form that sets one key.
     */
    static Map<String, String> pairs(String rest, String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int firstSpace = indexOfSpace(rest);
        int firstEquals = rest.indexOf('=');
        if (firstEquals < 0 || (firstSpace >= 0 && firstSpace < firstEquals)) {
            if (firstSpace < 0) {
                throw GantryException.invalid("changes: " + rest + " has no value: " + line);
            }
            out.put(rest.substring(0, firstSpace), rest.substring(firstSpace).strip());
            return out;
        }
        for (String word : words(rest, line)) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw GantryException.invalid("changes: " + word + " is not key=value: " + line);
            }
            out.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return out;
    }

    /** Splits at unquoted white space, removing the quotes and escapes. */
    private static List<String> words(String s, String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quote != '\'' && i + 1 < s.length()) {
                word.append(s.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw GantryException.invalid("changes: unterminated quote: " + line);
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
