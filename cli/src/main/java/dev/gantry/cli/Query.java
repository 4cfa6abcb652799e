package dev.gantry.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request path with its query string, values URL-encoded; null values are left out. */
final class Query {
    private final StringBuilder sb;
    private boolean first = true;

    private Query(String path) {
        this.sb = new StringBuilder(path);
    }

    /** {@code format} with each {@code %s} replaced by the next segment, URL-encoded (slashes kept, for image names). */
    static Query path(String format, String... segments) {
        StringBuilder sb = new StringBuilder(format.length() + 64);
        int from = 0;
        for (String segment : segments) {
            int at = format.indexOf("%s", from);
            sb.append(format, from, at).append(encode(segment).replace("%2F", "/"));
            from = at + 2;
        }
        return new Query(sb.append(format, from, format.length()).toString());
    }

    Query param(String name, Object value) {
        if (value != null) {
            sb.append(first ? '?' : '&').append(name).append('=').append(encode(value.toString()));
            first = false;
        }
        return this;
    }

    /** {@code flag=1} when set; nothing otherwise. */
    Query flag(String name, boolean set) {
        return set ? param(name, "1") : this;
    }

    /**
     * {@code filters}: docker's {@code --filter key=value} flags as the API's JSON map of
     * key → {value: true}.
     */
    Query filters(List<String> filters) {
        if (filters.isEmpty()) {
            return this;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("bad format of filter '" + f + "': expected name=value");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) m.computeIfAbsent(f.substring(0, eq), k -> new LinkedHashMap<>());
            values.put(f.substring(eq + 1), true);
        }
        return param("filters", Json.write(m));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
