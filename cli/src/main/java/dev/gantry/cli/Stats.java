package dev.gantry.cli;

import dev.gantry.base.GantryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code stats}: one sample per container from {@code GET /containers/{id}/stats?stream=false}
 * (the daemon fills {@code precpu_stats} from an earlier read), with docker's arithmetic:
 * CPU % is the container's share of the host's CPU time between the two samples times the
 * online CPUs; memory usage leaves out the inactive page cache. Without {@code --no-stream}
 * each container's stats stream stays open and the table of the latest samples is redrawn
 * every second (the screen is cleared when stdout is a terminal).
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
        boolean trunc = !a.bool("no-trunc");
        // One connection and one virtual thread per container: the daemon takes about a second
        // per sample (it reads the counters twice), so containers are sampled side by side.
        Map<String, Row> latest = new ConcurrentHashMap<>();
        Map<String, String> failed = new ConcurrentHashMap<>();
        boolean stream = !a.bool("no-stream");
        List<Thread> samplers = new ArrayList<>();
        for (String t : targets) {
            samplers.add(Thread.ofVirtual().start(() -> sample(s.socket(), t, stream, trunc, latest, failed)));
        }
        if (!stream) {
            for (Thread th : samplers) {
                th.join();
            }
            print(s, a, targets, latest);
            for (String t : targets) {
                if (failed.containsKey(t)) {
                    s.err.println("Error response from daemon: " + failed.get(t));
                }
            }
            return failed.isEmpty() ? 0 : 1;
        }
        boolean clear = Session.isTerminal(1);
        while (true) {
            Thread.sleep(1000);
            if (clear) {
                s.out.print("\033[2J\033[H");
            }
            print(s, a, targets, latest);
            s.out.flush();
            if (samplers.stream().noneMatch(Thread::isAlive)) {
                return failed.isEmpty() ? 0 : 1;
            }
        }
    }

    private static void print(Session s, Args a, List<String> targets, Map<String, Row> latest) {
        List<Row> rows = new ArrayList<>();
        for (String t : targets) {
            Row r = latest.get(t);
            if (r != null) {
                rows.add(r);
            }
        }
        Listing.print(s.out, a, rows, COLUMNS, TITLES, "ID");
    }

    /** Reads samples of one container (one, or a stream of them) into {@code latest}; a refusal goes to {@code failed}. */
    private static void sample(java.nio.file.Path socket, String target, boolean stream, boolean trunc, Map<String, Row> latest,
            Map<String, String> failed) {
        try (ApiClient c = new ApiClient(socket);
                Response r = c.open("GET", Query.path("/containers/%s/stats", target).param("stream", stream ? "true" : "false").toString(),
                        null, false);
                BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    latest.put(target, row(target, Json.parseObject(line), trunc));
                }
            }
        } catch (GantryException e) {
            failed.put(target, e.getMessage());
        } catch (IOException e) {
            failed.put(target, "reading the stats of " + target + ": " + e.getMessage());
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
