package dev.gantry.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.GantryException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The per-attachment parameters of SPEC.md section 3: the container, its network namespace,
 * the interface to create in it, the generic arguments ({@code CNI_ARGS}) and the capability
 * arguments offered to plugins that declare the capability (for example {@code portMappings}).
 * An attachment is identified by {@code (containerId, ifName)}.
 */
public record Attachment(String containerId, String netnsPath, String ifName, Map<String, String> args,
                         Map<String, JsonNode> capabilityArgs) {
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    private static final Pattern ARG = Pattern.compile("[a-zA-Z0-9_.\\-/:]+");

    public Attachment {
        if (containerId == null || !ID.matcher(containerId).matches()) {
            throw GantryException.invalid("containerId: '" + containerId + "' must start with a letter or digit followed by letters, digits, '_', '.' or '-'");
        }
        if (ifName == null || ifName.isEmpty() || ifName.length() > 15 || ifName.contains("/") || ifName.contains(" ")) {
            throw GantryException.invalid("ifName: '" + ifName + "' is not a Linux interface name (1-15 characters, no '/' or space)");
        }
        args = Map.copyOf(new LinkedHashMap<>(args));
        for (var e : args.entrySet()) {
            // CNI_ARGS is "K=V;K=V": a ';' or '=' inside a key or value would change its meaning.
            if (!ARG.matcher(e.getKey()).matches() || !ARG.matcher(e.getValue()).matches()) {
                throw GantryException.invalid("args: '" + e.getKey() + "=" + e.getValue() + "' holds a character CNI_ARGS cannot carry");
            }
        }
        capabilityArgs = Map.copyOf(capabilityArgs);
    }

    /** An attachment with no generic or capability arguments. */
    public Attachment(String containerId, String netnsPath, String ifName) {
        this(containerId, netnsPath, ifName, Map.of(), Map.of());
    }

    /** The {@code CNI_ARGS} value: {@code K=V} pairs joined by ';', in key order so the cache is stable. */
    String cniArgs() {
        return String.join(";", args.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
