package dev.gantry.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A network configuration list (a {@code .conflist}, SPEC.md section 1): the network's name,
 * the CNI versions it conforms to and the plugins executed, in order, for every attachment.
 *
 * @param cniVersion the version in {@code cniVersion}
 * @param cniVersions the optional list {@code cniVersions}; empty when absent
 * @param name the network name, unique on the host
 * @param disableCheck when true the runtime never runs CHECK for this network
 * @param disableGC when true the runtime never runs GC for this network
 * @param plugins the plugin chain, in ADD order
 */
public record NetworkConfigList(String cniVersion, List<String> cniVersions, String name, boolean disableCheck,
                                boolean disableGC, List<PluginConfig> plugins) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    public NetworkConfigList {
        if (name == null || !NAME.matcher(name).matches()) {
            throw GantryException.invalid("network name: '" + name + "' must start with a letter or digit followed by letters, digits, '_', '.' or '-'");
        }
        if (cniVersion == null || !VERSION.matcher(cniVersion).matches()) {
            throw GantryException.invalid("cniVersion of network " + name + ": '" + cniVersion + "' is not a version like 1.0.0");
        }
        cniVersions = List.copyOf(cniVersions);
        for (String v : cniVersions) {
            if (!VERSION.matcher(v).matches()) {
                throw GantryException.invalid("cniVersions of network " + name + ": '" + v + "' is not a version like 1.0.0");
            }
        }
        if (plugins == null || plugins.isEmpty()) {
            throw GantryException.invalid("plugins of network " + name + ": the list is empty");
        }
        plugins = List.copyOf(plugins);
    }

    /** Parses a {@code .conflist} document. */
    public static NetworkConfigList parse(String json) {
        return parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "network configuration list");
    }

    /** Reads and parses a {@code .conflist} file. */
    public static NetworkConfigList read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw GantryException.notFound("network configuration " + file + ": " + e.getMessage());
        }
    }

    static NetworkConfigList parse(byte[] json, String what) {
        ObjectNode root = CniJson.object(json, what);
        List<String> versions = new ArrayList<>();
        JsonNode list = root.get("cniVersions");
        if (list != null && list.isArray()) {
            list.forEach(v -> versions.add(v.asText()));
        }
        JsonNode pluginsNode = root.get("plugins");
        if (!(pluginsNode instanceof ArrayNode array)) {
            throw GantryException.invalid(what + ": 'plugins' is missing or not a list");
        }
        List<PluginConfig> plugins = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof ObjectNode plugin)) {
                throw GantryException.invalid(what + ": plugins[" + i + "] is not an object");
            }
            plugins.add(PluginConfig.of(plugin, i));
        }
        return new NetworkConfigList(CniJson.text(root, "cniVersion"), versions, CniJson.text(root, "name"),
                root.path("disableCheck").asBoolean(false), root.path("disableGC").asBoolean(false), plugins);
    }

    /** The version the runtime speaks to the plugins: the highest of {@code cniVersion} and {@code cniVersions} (SPEC.md "Version considerations"). */
    public String selectedVersion() {
        List<String> all = new ArrayList<>(cniVersions);
        all.add(cniVersion);
        return all.stream().max(Comparator.comparing(NetworkConfigList::versionKey)).orElseThrow();
    }

    /** Serialises this list back to a {@code .conflist} document. */
    public String toJson() {
        ObjectNode root = CniJson.MAPPER.createObjectNode();
        root.put("cniVersion", cniVersion);
        if (!cniVersions.isEmpty()) {
            cniVersions.forEach(root.putArray("cniVersions")::add);
        }
        root.put("name", name);
        if (disableCheck) {
            root.put("disableCheck", true);
        }
        if (disableGC) {
            root.put("disableGC", true);
        }
        ArrayNode array = root.putArray("plugins");
        plugins.forEach(p -> array.add(p.raw()));
        return new String(CniJson.bytes(root), java.nio.charset.StandardCharsets.UTF_8);
    }

    static long versionKey(String version) {
        String[] parts = version.split("\\.");
        return Long.parseLong(parts[0]) * 1_000_000 + Long.parseLong(parts[1]) * 1_000 + Long.parseLong(parts[2]);
    }

    static boolean atLeast(String version, String minimum) {
        return versionKey(version) >= versionKey(minimum);
    }
}
