package dev.gantry.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.GantryException;
import java.util.Set;
import java.util.TreeSet;

/**
 * One plugin configuration object of a network configuration list: its {@code type} (the
 * plugin binary's name) and the whole object as written, so fields only the plugin knows pass
 * through unchanged (SPEC.md section 1, "Plugin configuration objects").
 */
public record PluginConfig(String type, ObjectNode raw) {
    public PluginConfig {
        if (type == null || type.isEmpty() || type.contains("/") || type.contains("\0") || type.equals(".") || type.equals("..")) {
            throw GantryException.invalid("plugin type: '" + type + "' is not a plugin binary name");
        }
        raw = raw.deepCopy();
    }

    static PluginConfig of(ObjectNode raw, int index) {
        JsonNode type = raw.get("type");
        if (type == null || !type.isTextual()) {
            throw GantryException.invalid("plugins[" + index + "].type: missing or not a string");
        }
        return new PluginConfig(type.asText(), raw);
    }

    /** The capabilities this plugin asks the runtime for ({@code "capabilities": {"portMappings": true}}). */
    public Set<String> capabilities() {
        Set<String> names = new TreeSet<>();
        JsonNode caps = raw.get("capabilities");
        if (caps != null && caps.isObject()) {
            caps.properties().forEach(e -> {
                if (e.getValue().asBoolean(false)) {
                    names.add(e.getKey());
                }
            });
        }
        return names;
    }

    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }
}
