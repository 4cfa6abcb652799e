package dev.gantry.engine.runtimes;

import dev.gantry.base.GantryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtimes an engine can run containers with, by name, and the default one (used when a
 * container names none). Names are those of {@code HostConfig.Runtime}.
 */
public final class Runtimes {
    private final Map<String, OciRuntime> byName = new LinkedHashMap<>();
    private final String defaultName;

    /** {@code all} must hold a runtime named {@code defaultName}; names must be unique. */
    public Runtimes(List<OciRuntime> all, String defaultName) {
        for (OciRuntime r : all) {
            if (byName.putIfAbsent(r.name(), r) != null) {
                throw GantryException.invalid("runtimes: the name \"" + r.name() + "\" is given twice");
            }
        }
        if (!byName.containsKey(defaultName)) {
            throw GantryException.invalid("default runtime \"" + defaultName + "\" is not among the runtimes " + byName.keySet());
        }
        this.defaultName = defaultName;
    }

    /** The runtime {@code name} names; null or empty: the default. INVALID_ARGUMENT for an unknown name. */
    public OciRuntime get(String name) {
        if (name == null || name.isEmpty()) {
            return byName.get(defaultName);
        }
        OciRuntime r = byName.get(name);
        if (r == null) {
            throw GantryException.invalid("HostConfig.Runtime: unknown runtime \"" + name + "\"; this daemon has "
                    + String.join(", ", byName.keySet()) + " (add one with --add-runtime name=path)");
        }
        return r;
    }

    public String defaultName() {
        return defaultName;
    }

    /** Every runtime, in the order given. */
    public List<OciRuntime> all() {
        return List.copyOf(byName.values());
    }
}
