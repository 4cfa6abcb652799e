package dev.gantry.testkit;

import java.util.List;

/** One hook entry; {@code timeout} in seconds, null for none. */
public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    public Hook {
        args = args == null ? null : List.copyOf(args);
        env = env == null ? null : List.copyOf(env);
    }

    /** {@code /bin/sh -c script} on the host (or in the container for in-container hooks). */
    public static Hook shell(String script) {
        return new Hook("/bin/sh", List.of("sh", "-c", script), null, null);
    }

    public Hook withTimeout(int seconds) {
        return new Hook(path, args, env, seconds);
    }
}
