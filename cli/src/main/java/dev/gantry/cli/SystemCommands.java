package dev.gantry.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** version, info, events, system df/prune, the prune commands' shared shape, and shell completion. */
final class SystemCommands {
    static final String VERSION = "0.1.0";

    private SystemCommands() {}

    static List<Command> all() {
        Flag format = Flag.value("format", 'f', "Format output using a custom template");
        return List.of(
                Command.of("version", "[OPTIONS]", "Show the gantry and gantryd version information", List.of(format), SystemCommands::version),
                Command.of("info", "[OPTIONS]", "Display system-wide information", List.of(format), SystemCommands::info),
                Command.of("events", "[OPTIONS]", "Get real time events from the server", List.of(
                        Flag.list("filter", 'f', "Filter output based on conditions provided"),
                        Flag.value("format", "Format output using a custom template: 'json' or a Go template"),
                        Flag.value("since", "Show all events created since timestamp"), Flag.value("until", "Stream events until this timestamp")),
                        SystemCommands::events),
                Command.of("system df", "[OPTIONS]", "Show docker disk usage", List.of(
                        Flag.value("format", "Format output using a custom template"), Flag.bool("verbose", 'v', "Show detailed information on space usage")),
                        SystemCommands::df),
                Command.of("system prune", "[OPTIONS]", "Remove unused data", List.of(
                        Flag.bool("all", 'a', "Remove all unused images not just dangling ones"), Flag.list("filter", "Provide filter values (e.g. \"label=<key>=<value>\")"),
                        Flag.bool("force", 'f', "Do not prompt for confirmation"), Flag.bool("volumes", "Prune anonymous volumes")), SystemCommands::systemPrune),
                Command.of("completion", "bash|zsh", "Print the shell completion script (source <(gantry completion bash))", List.of(), (s, a) -> {
                    ContainerCommands.arity(s, a, "completion", 1, 1);
                    s.out.print(Completion.script(a.positional().getFirst(), new Gantry(Map.of(), null).commands()));
                    return 0;
                }));
    }

    static int version(Session s, Args a) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("Version", VERSION);
        client.put("ApiVersion", ApiClient.API_VERSION);
        client.put("JavaVersion", Runtime.version().toString());
        client.put("Os", "linux");
        client.put("Arch", System.getProperty("os.arch").equals("amd64") ? "amd64" : System.getProperty("os.arch"));
        Map<String, Object> server = s.api().call("GET", "/version", null).object();
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("Client", client);
        all.put("Server", server);
        if (a.value("format") != null) {
            Formatter.each(s.out, a.value("format"), List.of(all));
            return 0;
        }
        s.out.println("Client:");
        s.out.println(" Version:           " + VERSION);
        s.out.println(" API version:       " + ApiClient.API_VERSION);
        s.out.println(" Java version:      " + Runtime.version());
        s.out.println(" OS/Arch:           linux/" + client.get("Arch"));
        s.out.println();
        s.out.println("Server:");
        s.out.println(" Engine:");
        s.out.println("  Version:          " + server.get("Version"));
        s.out.println("  API version:      " + server.get("ApiVersion") + " (minimum version " + server.get("MinAPIVersion") + ")");
        s.out.println("  OS/Arch:          " + server.get("Os") + "/" + server.get("Arch"));
        s.out.println("  Kernel version:   " + server.get("KernelVersion"));
        return 0;
    }

    static int info(Session s, Args a) {
        Map<String, Object> info = s.api().call("GET", "/info", null).object();
        if (a.value("format") != null) {
            Formatter.each(s.out, a.value("format"), List.of(info));
            return 0;
        }
        s.out.println("Server:");
        s.out.println(" Containers: " + info.get("Containers"));
        s.out.println("  Running: " + info.get("ContainersRunning"));
        s.out.println("  Paused: " + info.get("ContainersPaused"));
        s.out.println("  Stopped: " + info.get("ContainersStopped"));
        s.out.println(" Images: " + info.get("Images"));
        line(s, " Server Version: ", info.get("ServerVersion"));
        line(s, " Storage Driver: ", info.get("Driver"));
        line(s, " Logging Driver: ", info.get("LoggingDriver"));
        line(s, " Cgroup Driver: ", info.get("CgroupDriver"));
        line(s, " Cgroup Version: ", info.get("CgroupVersion"));
        if (info.get("Runtimes") instanceof Map<?, ?> r) {
            s.out.println(" Runtimes: " + String.join(" ", r.keySet().stream().map(String::valueOf).toList()));
        }
        line(s, " Default Runtime: ", info.get("DefaultRuntime"));
        line(s, " Kernel Version: ", info.get("KernelVersion"));
        line(s, " Operating System: ", info.get("OperatingSystem"));
        line(s, " OSType: ", info.get("OSType"));
        line(s, " Architecture: ", info.get("Architecture"));
        line(s, " CPUs: ", info.get("NCPU"));
        if (info.get("MemTotal") instanceof Number n) {
            s.out.println(" Total Memory: " + Units.binarySize(n.doubleValue()));
        }
        line(s, " Name: ", info.get("Name"));
        line(s, " ID: ", info.get("ID"));
        line(s, " Docker Root Dir: ", info.get("DockerRootDir"));
        return 0;
    }

    private static void line(Session s, String label, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            s.out.println(label + value);
        }
    }

    /** Streams events as they come, one line each: docker's default line or the format's. */
    static int events(Session s, Args a) throws IOException {
        String path = Query.path("/events").param("since", Times.apiTime("since", a.value("since")))
                .param("until", Times.apiTime("until", a.value("until"))).filters(a.list("filter")).toString();
        String format = a.value("format");
        s.out.flush();
        try (Response r = s.api().open("GET", path, null, false);
                BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> e = Json.parseObject(line);
                if (format != null && !format.isEmpty()) {
                    Formatter.each(s.out, format, List.of(e));
                } else {
                    s.out.println(eventLine(e));
                }
                s.out.flush();
            }
        }
        return 0;
    }

    /** {@code 2026-11-23T00:00:00.123456789Z container create ID (image=busybox, name=x)}, as docker prints an event. */
    static String eventLine(Map<String, Object> e) {
        long nanos = e.get("timeNano") instanceof Number n ? n.longValue() : ContainerRows.num(e.get("time")) * 1_000_000_000L;
        // Made here, not in a static field: building a formatter costs every command's start-up.
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX").withZone(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(time.format(Instant.ofEpochSecond(0, nanos)));
        sb.append(' ').append(ContainerRows.str(e.get("Type"))).append(' ').append(ContainerRows.str(e.get("Action")));
        if (e.get("Actor") instanceof Map<?, ?> actor) {
            sb.append(' ').append(ContainerRows.str(actor.get("ID")));
            if (actor.get("Attributes") instanceof Map<?, ?> attrs && !attrs.isEmpty()) {
                List<String> kv = new ArrayList<>();
                new java.util.TreeMap<>(attrs).forEach((k, v) -> kv.add(k + "=" + v));
                sb.append(" (").append(String.join(", ", kv)).append(')');
            }
        }
        return sb.toString();
    }

    static int df(Session s, Args a) {
        Map<String, Object> r = s.api().call("GET", "/system/df", null).object();
        List<Row> rows = new ArrayList<>();
        rows.add(dfRow("Images", list(r.get("Images")), "Size", m -> ContainerRows.num(m.get("Containers")) > 0, true));
        rows.add(dfRow("Containers", list(r.get("Containers")), "SizeRw", m -> "running".equals(m.get("State")), false));
        rows.add(dfRow("Local Volumes", list(r.get("Volumes")), null, m -> m.get("UsageData") instanceof Map<?, ?> u
                && ContainerRows.num(u.get("RefCount")) > 0, false));
        rows.add(dfRow("Build Cache", list(r.get("BuildCache")), "Size", m -> Boolean.TRUE.equals(m.get("InUse")), false));
        Listing.print(s.out, a, rows, List.of("Type", "TotalCount", "Active", "Size", "Reclaimable"),
                Map.of("Type", "TYPE", "TotalCount", "TOTAL", "Active", "ACTIVE", "Size", "SIZE", "Reclaimable", "RECLAIMABLE"), "Type");
        return 0;
    }

    private static List<Map<?, ?>> list(Object o) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add((Map<?, ?>) x));
        }
        return out;
    }

    private static Row dfRow(String type, List<Map<?, ?>> items, String sizeField, java.util.function.Predicate<Map<?, ?>> active, boolean images) {
        long total = 0;
        long reclaimable = 0;
        int activeCount = 0;
        for (Map<?, ?> m : items) {
            long size = sizeField != null ? ContainerRows.num(m.get(sizeField))
                    : m.get("UsageData") instanceof Map<?, ?> u ? Math.max(0, ContainerRows.num(u.get("Size"))) : 0;
            total += size;
            if (active.test(m)) {
                activeCount++;
            } else {
                reclaimable += size;
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Type", type);
        f.put("TotalCount", Integer.toString(items.size()));
        f.put("Active", Integer.toString(activeCount));
        f.put("Size", Units.humanSize(total));
        f.put("Reclaimable", Units.humanSize(reclaimable) + (total > 0 ? " (" + reclaimable * 100 / total + "%)" : ""));
        return new Row(f, Map.of());
    }

    /** docker's prune commands: a confirmation unless -f, then the deleted items and the reclaimed space. */
    static int prune(Session s, Args a, String kind, String warning, String deletedField, String deletedTitle) {
        if (!a.bool("force") && !confirm(s, warning)) {
            return 0;
        }
        Map<String, Object> r = s.api().call("POST", Query.path("/" + kind + "/prune").filters(a.list("filter")).toString(), null).object();
        if (r.get(deletedField) instanceof List<?> l && !l.isEmpty()) {
            s.out.println(deletedTitle);
            l.forEach(s.out::println);
            s.out.println();
        }
        if (r.containsKey("SpaceReclaimed")) {
            s.out.println("Total reclaimed space: " + Units.humanSize(ContainerRows.num(r.get("SpaceReclaimed"))));
        }
        return 0;
    }

    static boolean confirm(Session s, String warning) {
        s.out.print(warning + "\nAre you sure you want to continue? [y/N] ");
        s.out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(s.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }

    static int systemPrune(Session s, Args a) {
        String warning = "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n"
                + (a.bool("volumes") ? "  - all anonymous volumes not used by at least one container\n" : "")
                + (a.bool("all") ? "  - all images without at least one container associated to them" : "  - all dangling images");
        if (!a.bool("force") && !confirm(s, warning)) {
            return 0;
        }
        Map<String, List<String>> forced = new LinkedHashMap<>(a.values());
        forced.put("force", List.of("true"));
        Args f = new Args(forced, List.of(), false);
        prune(s, f, "containers", "", "ContainersDeleted", "Deleted Containers:");
        prune(s, f, "networks", "", "NetworksDeleted", "Deleted Networks:");
        if (a.bool("volumes")) {
            prune(s, f, "volumes", "", "VolumesDeleted", "Deleted Volumes:");
        }
        return ImageCommands.prune(s, f);
    }
}
