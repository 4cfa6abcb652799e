package dev.gantry.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code stats}: one sample per container from {@code GET /containers/{id}/stats?stream=false}
 * (the daemon fills {@code precpu_stats} from an earlier read), with docker's arithmetic:
 * CPU % is the container's share of the host's CPU time between the two samples times the
 * online CPUs; memory usage leaves out the inactive page cache. Without {@code --no-stream}
 * the table is redrawn every second (the screen is cleared when stdout is a terminal).
 */
final class Stats {
    static final Map<String, String> TITLES = Map.of("ID", "CONTAINER ID", "Container", "CONTAINER", "Name", "NAME", "CPUPerc", "CPU %",
            "MemUsage", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O", "BlockIO", "BLOCK I/O", "PIDs", "PIDS");
    static final List<String> COLUMNS = List.of("ID", "Name", "CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs");

    private Stats() {}

    static int run(Session s, Args a) throws InterruptedException {
        List<String> targets = new ArrayList<>(a.positional());
        if (targets.isEmpty()) {
            for (Object o : s.api().call("GET", Query.path("/containers/json").flag("all", a.bool("all")).toString(), null).array()) {
                targets.add(String.valueOf(((Map<?, ?>) o).get("Id")));
            }
        }
        boolean clear = !a.bool("no-stream") && Session.isTerminal(1);
        while (true) {
            List<Row> rows = new ArrayList<>();
            for (String t : targets) {
                Map<String, Object> sample = s.api().call("GET", Query.path("/containers/%s/stats", t).param("stream", "false").toString(), null).object();
                rows.add(row(t, sample, !a.bool("no-trunc")));
            }
            if (clear) {
                s.out.print("\033[2J\033[H");
            }
            Listing.print(s.out, a, rows, COLUMNS, TITLES, "ID");
            s.out.flush();
            if (a.bool("no-stream")) {
                return 0;
            }
            Thread.sleep(1000);
        }
    }

    static Row row(String given, Map<String, Object> st, boolean trunc) {
        Map<String, Object> f = new LinkedHashMap<>();
        String id = String.valueOf(st.getOrDefault("id", given));
        String name = String.valueOf(st.getOrDefault("name", given));
        f.put("BlockIO", blockIo(st));
        f.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpuPercent(st)));
        f.put("Container", given);
        f.put("ID", trunc ? ContainerRows.shortId(id) : id);
        double mem = memoryUsage(st);
        double limit = num(path(st, "memory_stats", "limit"));
        f.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", limit > 0 ? mem / limit * 100 : 0));
        f.put("MemUsage", Units.binarySize(mem) + " / " + Units.binarySize(limit));
        f.put("Name", name.startsWith("/") ? name.substring(1) : name);
        f.put("NetIO", netIo(st));
        f.put("PIDs", Long.toString((long) num(path(st, "pids_stats", "current"))));
        return new Row(f, Map.of());
    }

    static double cpuPercent(Map<String, Object> st) {
        double cpuDelta = num(path(st, "cpu_stats", "cpu_usage", "total_usage")) - num(path(st, "precpu_stats", "cpu_usage", "total_usage"));
        double systemDelta = num(path(st, "cpu_stats", "system_cpu_usage")) - num(path(st, "precpu_stats", "system_cpu_usage"));
        double cpus = num(path(st, "cpu_stats", "online_cpus"));
        if (cpus == 0 && path(st, "cpu_stats", "cpu_usage", "percpu_usage") instanceof List<?> l) {
            cpus = l.size();
        }
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100 : 0;
    }

    /** Usage without the inactive file cache: {@code total_inactive_file} on cgroup v1, {@code inactive_file} on v2. */
    static double memoryUsage(Map<String, Object> st) {
        double usage = num(path(st, "memory_stats", "usage"));
        Object v1 = path(st, "memory_stats", "stats", "total_inactive_file");
        Object v2 = path(st, "memory_stats", "stats", "inactive_file");
        double inactive = v1 != null ? num(v1) : num(v2);
        return inactive < usage ? usage - inactive : usage;
    }

    private static String netIo(Map<String, Object> st) {
        double rx = 0;
        double tx = 0;
        if (st.get("networks") instanceof Map<?, ?> nets) {
            for (Object n : nets.values()) {
                Map<?, ?> m = (Map<?, ?>) n;
                rx += num(m.get("rx_bytes"));
                tx += num(m.get("tx_bytes"));
            }
        }
        return Units.humanSize(rx) + " / " + Units.humanSize(tx);
    }

    private static String blockIo(Map<String, Object> st) {
        double read = 0;
        double write = 0;
        if (path(st, "blkio_stats", "io_service_bytes_recursive") instanceof List<?> l) {
            for (Object o : l) {
                Map<?, ?> e = (Map<?, ?>) o;
                String op = String.valueOf(e.get("op")).toLowerCase(Locale.ROOT);
                if (op.equals("read")) {
                    read += num(e.get("value"));
                } else if (op.equals("write")) {
                    write += num(e.get("value"));
                }
            }
        }
        return Units.humanSize(read) + " / " + Units.humanSize(write);
    }

    private static Object path(Map<String, Object> m, String... keys) {
        Object o = m;
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> mm)) {
                return null;
            }
            o = mm.get(k);
        }
        return o;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
