package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's rules for combining a request with its image's config.
 *
 * <p>Command: when the request's entrypoint is null or empty and the request gives no
 * command, the image's command applies; when the request's entrypoint is null, the image's
 * entrypoint applies. A non-empty request entrypoint therefore drops the image's command
 * (dockerd merges only an entrypoint without elements). {@code [""]} is an empty entrypoint.
 * The process runs {@code entrypoint + cmd}.
 *
 * <p>Environment: the image's entries, then the request's, a later {@code KEY=} replacing an
 * earlier one in place.
 */
public final class CommandMerge {
    private CommandMerge() {
    }

    public static List<String> args(List<String> requestEntrypoint, List<String> requestCmd,
            List<String> imageEntrypoint, List<String> imageCmd) {
        List<String> entrypoint = requestEntrypoint;
        if (entrypoint != null && entrypoint.size() == 1 && entrypoint.getFirst().isEmpty()) {
            entrypoint = List.of();
        }
        List<String> cmd = requestCmd == null ? List.of() : requestCmd;
        if (entrypoint == null || entrypoint.isEmpty()) {
            if (cmd.isEmpty() && imageCmd != null) {
                cmd = imageCmd;
            }
            if (entrypoint == null) {
                entrypoint = imageEntrypoint == null ? List.of() : imageEntrypoint;
            }
        }
        List<String> args = new ArrayList<>(entrypoint);
        args.addAll(cmd);
        if (args.isEmpty()) {
            throw GantryException.invalid("Config.Cmd: no command specified (neither the request nor the image has one)");
        }
        return List.copyOf(args);
    }

    /** The image's environment overridden by the request's, in order, keys unique. */
    public static List<String> env(List<String> imageEnv, List<String> requestEnv) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (List<String> list : List.of(imageEnv == null ? List.<String>of() : imageEnv, requestEnv)) {
            for (String e : list) {
                int eq = e.indexOf('=');
                String key = eq < 0 ? e : e.substring(0, eq);
                if (key.isEmpty()) {
                    throw GantryException.invalid("Config.Env: entry \"" + e + "\" has no variable name");
                }
                merged.put(key, e);
            }
        }
        return List.copyOf(merged.values());
    }

    /** Whether {@code env} defines {@code key}. */
    public static boolean has(List<String> env, String key) {
        return env.stream().anyMatch(e -> e.equals(key) || e.startsWith(key + "="));
    }
}
