package dev.gantry.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ps} rows from {@code GET /containers/json} items, with the fields and truncation of
 * docker's container formatter: ID to 12 characters, the command quoted and cut to 20 with an
 * ellipsis, names without their leading slash, ports as {@code 0.0.0.0:8080->80/tcp}.
 */
final class ContainerRows {
    static final Map<String, String> TITLES = Map.ofEntries(Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"),
            Map.entry("Command", "COMMAND"), Map.entry("CreatedAt", "CREATED AT"), Map.entry("RunningFor", "CREATED"),
            Map.entry("Ports", "PORTS"), Map.entry("State", "STATE"), Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"),
            Map.entry("Names", "NAMES"), Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"),
            Map.entry("Networks", "NETWORKS"), Map.entry("LocalVolumes", "LOCAL VOLUMES"));


    private ContainerRows() {}

    static Row row(Map<String, Object> c, boolean trunc, long now) {
        Map<String, Object> f = new LinkedHashMap<>();
        String id = str(c.get("Id"));
        f.put("Command", command(str(c.get("Command")), trunc));
        long created = num(c.get("Created"));
        f.put("CreatedAt", createdAt(created));
        f.put("ID", trunc ? shortId(id) : id);
        String image = str(c.get("Image"));
        if (trunc && image.startsWith("sha256:")) {
            image = shortId(image.substring(7));
        }
        f.put("Image", image);
        Map<String, String> labels = new LinkedHashMap<>();
        if (c.get("Labels") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        }
        List<String> lv = new ArrayList<>();
        labels.forEach((k, v) -> lv.add(k + "=" + v));
        f.put("Labels", String.join(",", lv));
        int local = 0;
        for (Map<?, ?> m : mounts(c)) {
            if ("local".equals(m.get("Driver"))) {
                local++;
            }
        }
        f.put("LocalVolumes", Integer.toString(local));
        List<String> mountNames = new ArrayList<>();
        for (Map<?, ?> m : mounts(c)) {
            String name = "volume".equals(m.get("Type")) ? str(m.get("Name")) : str(m.get("Source"));
            if (trunc && name.length() > 15) {
                name = name.substring(0, 14) + "…";
            }
            mountNames.add(name);
        }
        f.put("Mounts", String.join(",", mountNames));
        f.put("Names", names(c, trunc));
        List<String> nets = new ArrayList<>();
        if (c.get("NetworkSettings") instanceof Map<?, ?> ns && ns.get("Networks") instanceof Map<?, ?> n) {
            n.keySet().forEach(k -> nets.add(String.valueOf(k)));
        }
        f.put("Networks", String.join(",", nets));
        f.put("Ports", ports(c.get("Ports")));
        f.put("RunningFor", Units.humanDuration(now - created) + " ago");
        f.put("Size", size(c));
        f.put("State", str(c.get("State")));
        f.put("Status", str(c.get("Status")));
        return new Row(f, labels);
    }

    /**
     * {@code 2026-11-23 00:39:40 +0000 UTC}, Go's time format as docker's CreatedAt prints it.
     * On a UTC host it is written by hand: the {@code z} pattern loads the locale's time-zone
     * names (CLDR resource bundles) and {@link ZoneId#systemDefault} the tz database (found
     * through a ServiceLoader scan of the class path), milliseconds every listing would pay for
     * a column rarely shown (measured: 19-38 ms against under 2 ms in a cold JVM under load).
     */
    static String createdAt(long epochSecond) {
        if (!hostIsUtc()) {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z").format(Instant.ofEpochSecond(epochSecond).atZone(ZoneId.systemDefault()));
        }
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(epochSecond, 0, java.time.ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(29).append(t.getYear()).append('-');
        two(sb, t.getMonthValue()).append('-');
        two(sb, t.getDayOfMonth()).append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        return sb.append(" +0000 UTC").toString();
    }

    /**
     * Whether the JVM's default zone is UTC, decided as the JDK decides it on Linux (the
     * {@code user.timezone} property, else TZ, else the {@code /etc/localtime} link) but
     * without loading the tz database; anything unusual counts as not UTC.
     */
    static boolean hostIsUtc() {
        String zone = System.getProperty("user.timezone");
        if (zone == null || zone.isEmpty()) {
            zone = System.getenv("TZ");
        }
        if (zone == null) {
            try {
                zone = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/etc/localtime")).toString();
            } catch (java.io.IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return zone.equals("UTC") || zone.equals(":UTC") || zone.equals("Etc/UTC") || zone.endsWith("zoneinfo/UTC")
                || zone.endsWith("zoneinfo/Etc/UTC");
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static String command(String cmd, boolean trunc) {
        if (trunc && cmd.codePointCount(0, cmd.length()) > 20) {
            cmd = cmd.substring(0, cmd.offsetByCodePoints(0, 19)) + "…";
        }
        return "\"" + cmd + "\"";
    }

    /** Names without the leading slash; docker leaves out link names (those with another slash) unless --no-trunc. */
    private static String names(Map<String, Object> c, boolean trunc) {
        List<String> out = new ArrayList<>();
        if (c.get("Names") instanceof List<?> l) {
            for (Object o : l) {
                String n = str(o);
                n = n.startsWith("/") ? n.substring(1) : n;
                if (!trunc || !n.contains("/")) {
                    out.add(n);
                }
            }
        }
        return String.join(",", out);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> mounts(Map<String, Object> c) {
        return c.get("Mounts") instanceof List<?> l ? (List<Map<?, ?>>) (List<?>) l : List.of();
    }

    /** {@code 0.0.0.0:8080->80/tcp, 443/tcp}, in the API's order, as docker's DisplayablePorts (ranges not merged). */
    static String ports(Object ports) {
        if (!(ports instanceof List<?> l)) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (o instanceof Map<?, ?> p) {
                String priv = p.get("PrivatePort") + "/" + str(p.get("Type"));
                if (p.get("PublicPort") != null) {
                    String ip = str(p.get("IP"));
                    String host = ip.contains(":") ? "[" + ip + "]" : ip;
                    out.add(host + ":" + p.get("PublicPort") + "->" + priv);
                } else {
                    out.add(priv);
                }
            }
        }
        return String.join(", ", out);
    }

    private static String size(Map<String, Object> c) {
        if (c.get("SizeRw") == null && c.get("SizeRootFs") == null) {
            return "0B";
        }
        String s = Units.humanSize(num(c.get("SizeRw")));
        if (num(c.get("SizeRootFs")) > 0) {
            s += " (virtual " + Units.humanSize(num(c.get("SizeRootFs"))) + ")";
        }
        return s;
    }

    static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
