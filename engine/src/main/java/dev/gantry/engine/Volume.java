package dev.gantry.engine;

import java.util.Map;

/**
 * A volume of the local driver: a directory under the engine's root that containers mount.
 *
 * @param name       unique name; anonymous volumes get 64 hex digits
 * @param mountpoint the directory on the host
 * @param createdAt  RFC 3339
 * @param labels     user labels
 * @param anonymous  created for one container's anonymous mount (removed with it by {@code remove -v})
 */
public record Volume(String name, String mountpoint, String createdAt, Map<String, String> labels, boolean anonymous) {
    public Volume {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public String driver() {
        return "local";
    }
}
