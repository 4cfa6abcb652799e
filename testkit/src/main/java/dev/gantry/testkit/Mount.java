package dev.gantry.testkit;

import java.util.List;

/** One entry of {@code mounts} in config.json. */
public record Mount(String destination, String type, String source, List<String> options) {
    public Mount {
        options = options == null ? null : List.copyOf(options);
    }

    public static Mount bind(String source, String destination, String... options) {
        return new Mount(destination, "bind", source, List.of(options));
    }

    public static Mount tmpfs(String destination, String... options) {
        return new Mount(destination, "tmpfs", "tmpfs", List.of(options));
    }
}
