package dev.gantry.api.docker.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.GantryException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filters} query parameter of list, prune and events endpoints: a JSON object
 * from a filter name to its values. Clients send two shapes — a list
 * ({@code {"status":["running","paused"]}}, API ≥ 1.22) and a set as a map to {@code true}
 * ({@code {"status":{"running":true}}}, older clients and docker-py) — both read here into
 * name → set of values. A filter with several values matches when any value matches; all
 * named filters must match.
 */
public record Filters(Map<String, Set<String>> values) {
    public static final Filters NONE = new Filters(Map.of());

    public Filters {
        var copy = new LinkedHashMap<String, Set<String>>();
        values.forEach((k, v) -> copy.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        values = Collections.unmodifiableMap(copy);
    }

    /** Parses the query parameter; null or empty text means no filters. */
    public static Filters parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode root = Json.read(json, JsonNode.class);
        if (root == null || root.isNull()) {
            return NONE;
        }
        if (!root.isObject()) {
            throw GantryException.invalid("invalid filters: expected a JSON object, got " + root.getNodeType().name().toLowerCase());
        }
        var out = new LinkedHashMap<String, Set<String>>();
        for (var field : root.properties()) {
            var set = new LinkedHashSet<String>();
            JsonNode v = field.getValue();
            if (v.isArray()) {
                for (JsonNode e : v) {
                    requireText(field.getKey(), e);
                    set.add(e.asText());
                }
            } else if (v.isObject()) {
                for (var e : v.properties()) {
                    if (!e.getValue().isBoolean()) {
                        throw GantryException.invalid("invalid filters: value of " + field.getKey() + "." + e.getKey() + " must be a boolean");
                    }
                    if (e.getValue().booleanValue()) {
                        set.add(e.getKey());
                    }
                }
            } else {
                throw GantryException.invalid("invalid filters: " + field.getKey() + " must be a list or a map of strings to booleans");
            }
            out.put(field.getKey(), set);
        }
        return new Filters(out);
    }

    private static void requireText(String key, JsonNode e) {
        if (!e.isTextual()) {
            throw GantryException.invalid("invalid filters: values of " + key + " must be strings");
        }
    }

    /** Rejects filter names the endpoint does not know, as Docker does: {@code invalid filter 'x'}. */
    public Filters requireOnly(Set<String> accepted) {
        for (String key : values.keySet()) {
            if (!accepted.contains(key)) {
                throw GantryException.invalid("invalid filter '" + key + "'");
            }
        }
        return this;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Set<String> get(String name) {
        return values.getOrDefault(name, Set.of());
    }

    /** True when the filter is absent or one of its values equals {@code value}. */
    public boolean matches(String name, String value) {
        Set<String> wanted = values.get(name);
        return wanted == null || wanted.isEmpty() || wanted.contains(value);
    }

    /**
     * True when the {@code label} filter is absent or every one of its entries is satisfied:
     * {@code key} needs the label present, {@code key=value} needs that value.
     */
    public boolean matchesLabels(String name, Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        for (String entry : get(name)) {
            int eq = entry.indexOf('=');
            if (eq < 0 ? !have.containsKey(entry) : !entry.substring(eq + 1).equals(have.get(entry.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
