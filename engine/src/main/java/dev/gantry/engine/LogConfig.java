package dev.gantry.engine;

import dev.gantry.base.GantryException;
import java.util.Map;

/**
 * The json-file log driver's options ({@code HostConfig.LogConfig.Config}): rotate when the
 * current file would exceed {@code maxSize} bytes (0: never), keeping at most {@code maxFile}
 * files in all, the current one included. {@code options} are the request's own words
 * ({@code "max-size": "10m"}), which inspect shows back as Docker's does; empty in a record
 * written before they were kept.
 */
public record LogConfig(long maxSize, int maxFile, Map<String, String> options) {
    public static final LogConfig DEFAULT = new LogConfig(0, 1);

    public LogConfig(long maxSize, int maxFile) {
        this(maxSize, maxFile, Map.of());
    }

    public LogConfig {
        options = options == null ? Map.of() : Map.copyOf(options);
        if (maxSize < 0) {
            throw GantryException.invalid("HostConfig.LogConfig: max-size must not be negative");
        }
        if (maxFile < 1) {
            throw GantryException.invalid("HostConfig.LogConfig: max-file must be at least 1");
        }
    }

    /**
     * Reads Docker's options: {@code max-size} ("10m", "512k", "1g", bytes) and {@code max-file}.
     * The type must be json-file (or empty, the default).
     */
    public static LogConfig parse(String type, Map<String, String> options) {
        if (type != null && !type.isEmpty() && !type.equals("json-file")) {
            throw GantryException.invalid("HostConfig.LogConfig.Type: only json-file is supported, not \"" + type + "\"");
        }
        Map<String, String> opts = options == null ? Map.of() : options;
        for (String key : opts.keySet()) {
            if (!key.equals("max-size") && !key.equals("max-file")) {
                throw GantryException.invalid("HostConfig.LogConfig.Config: unknown json-file option \"" + key + "\"");
            }
        }
        long size = opts.containsKey("max-size") ? parseSize(opts.get("max-size")) : 0;
        int files;
        try {
            files = opts.containsKey("max-file") ? Integer.parseInt(opts.get("max-file")) : 1;
        } catch (NumberFormatException e) {
            throw GantryException.invalid("HostConfig.LogConfig.Config: max-file \"" + opts.get("max-file") + "\" is not a number");
        }
        if (files > 1 && size == 0) {
            throw GantryException.invalid("HostConfig.LogConfig.Config: max-file needs max-size");
        }
        return new LogConfig(size, files, opts);
    }

    /** A size as Docker's units package reads it: a number with an optional k, m, g suffix (powers of 1024). */
    public static long parseSize(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> { }
            }
        }
        if (unit != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Long.parseLong(t) * unit;
        } catch (NumberFormatException e) {
            throw GantryException.invalid("size \"" + text + "\": not a size (e.g. 10m, 512k)");
        }
    }
}
