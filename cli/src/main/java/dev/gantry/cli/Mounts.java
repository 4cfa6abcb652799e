package dev.gantry.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --mount type=bind,source=/a,target=/b,readonly} as the Engine API's Mount object
 * (Type, Source, Target, ReadOnly, BindOptions, VolumeOptions, TmpfsOptions), with docker's
 * aliases ({@code src}, {@code dst}/{@code destination}, {@code ro}).
 */
final class Mounts {
    private Mounts() {}

    static Map<String, Object> parse(String spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> bind = new LinkedHashMap<>();
        Map<String, Object> volume = new LinkedHashMap<>();
        Map<String, Object> tmpfs = new LinkedHashMap<>();
        String type = "volume";
        for (String field : spec.split(",")) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
            String value = eq < 0 ? null : field.substring(eq + 1);
            switch (key) {
                case "type" -> type = required(spec, key, value);
                case "source", "src" -> m.put("Source", required(spec, key, value));
                case "target", "dst", "destination" -> m.put("Target", required(spec, key, value));
                case "readonly", "ro" -> m.put("ReadOnly", value == null || value.equals("true") || value.equals("1"));
                case "bind-propagation" -> bind.put("Propagation", required(spec, key, value));
                case "volume-nocopy" -> volume.put("NoCopy", value == null || value.equals("true") || value.equals("1"));
                case "volume-label" -> {
                    String[] kv = required(spec, key, value).split("=", 2);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> labels = (Map<String, Object>) volume.computeIfAbsent("Labels", k -> new LinkedHashMap<>());
                    labels.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                case "tmpfs-size" -> tmpfs.put("SizeBytes", Units.bytes("mount", required(spec, key, value)));
                case "tmpfs-mode" -> {
                    try {
                        tmpfs.put("Mode", Integer.parseInt(required(spec, key, value), 8));
                    } catch (NumberFormatException e) {
                        throw new UsageException("invalid --mount '" + spec + "': tmpfs-mode must be octal");
                    }
                }
                default -> throw new UsageException("invalid --mount '" + spec + "': unknown field '" + key + "'");
            }
        }
        if (!type.equals("bind") && !type.equals("volume") && !type.equals("tmpfs")) {
            throw new UsageException("invalid --mount '" + spec + "': type must be bind, volume or tmpfs");
        }
        if (!m.containsKey("Target")) {
            throw new UsageException("invalid --mount '" + spec + "': target is required");
        }
        if (type.equals("bind") && !m.containsKey("Source")) {
            throw new UsageException("invalid --mount '" + spec + "': a bind mount needs a source");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Type", type);
        out.putAll(m);
        if (!bind.isEmpty()) {
            out.put("BindOptions", bind);
        }
        if (!volume.isEmpty()) {
            out.put("VolumeOptions", volume);
        }
        if (!tmpfs.isEmpty()) {
            out.put("TmpfsOptions", tmpfs);
        }
        return out;
    }

    private static String required(String spec, String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new UsageException("invalid --mount '" + spec + "': " + key + " needs a value");
        }
        return value;
    }
}
