package dev.gantry.engine.net;

import java.util.Map;

/**
 * A network as the engine stores it ({@code network/networks/<id>.json}) and reports it.
 *
 * @param id         64 hex digits
 * @param bridge     the Linux bridge device its containers' veths are plugged into
 * @param isDefault  the default {@code bridge} network: no name resolution, like Docker's
 */
public record NetworkRecord(String id, String name, String driver, String created, String subnet, String gateway,
                            String ipRange, boolean internal, Map<String, String> labels, Map<String, String> options,
                            String bridge, boolean isDefault) {
    public NetworkRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
