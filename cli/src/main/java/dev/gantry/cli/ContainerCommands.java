package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The container commands: run, create, start, ps, logs, exec, stop, rm… as docker's. */
final class ContainerCommands {
    private ContainerCommands() {}

    private static final Flag FORMAT = Flag.value("format", "Format output using a custom template: 'table', 'table TEMPLATE', 'json' or a Go template");
    private static final Flag DETACH_KEYS = Flag.value("detach-keys", "Override the key sequence for detaching a container (default ctrl-p,ctrl-q)");

    static final List<Flag> EXEC_FLAGS = List.of(
            Flag.bool("detach", 'd', "Detached mode: run command in the background"), DETACH_KEYS,
            Flag.list("env", 'e', "Set environment variables"), Flag.list("env-file", "Read in a file of environment variables"),
            Flag.bool("interactive", 'i', "Keep STDIN open even if not attached"),
            Flag.bool("privileged", "Give extended privileges to the command"), Flag.bool("tty", 't', "Allocate a pseudo-TTY"),
            Flag.value("user", 'u', "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
            Flag.value("workdir", 'w', "Working directory inside the container"));

    static List<Command> all() {
        List<Flag> runFlags = new ArrayList<>(CreateRequest.FLAGS);
        runFlags.add(Flag.bool("detach", 'd', "Run container in background and print container ID"));
        runFlags.add(DETACH_KEYS);
        runFlags.add(Flag.bool("sig-proxy", "Proxy received signals to the process (default true)"));
        runFlags.sort((x, y) -> x.name().compareTo(y.name()));
        List<Command> c = new ArrayList<>();
        c.add(new Command("run", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image", runFlags, false,
                ContainerRunner::run));
        c.add(new Command("create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", CreateRequest.FLAGS, false,
                ContainerRunner::create));
        c.add(Command.of("start", "[OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers",
                List.of(Flag.bool("attach", 'a', "Attach STDOUT/STDERR and forward signals"), DETACH_KEYS,
                        Flag.bool("interactive", 'i', "Attach container's STDIN")),
                (s, a) -> {
                    arity(s, a, "start", 1);
                    return ContainerRunner.start(s, a);
                }));
        c.add(Command.of("ps", "[OPTIONS]", "List containers", List.of(Flag.bool("all", 'a', "Show all containers (default shows just running)"),
                Flag.list("filter", 'f', "Filter output based on conditions provided"), FORMAT,
                Flag.value("last", 'n', "Show n last created containers (includes all states)"),
                Flag.bool("latest", 'l', "Show the latest created container (includes all states)"),
                Flag.bool("no-trunc", "Don't truncate output"), Flag.bool("quiet", 'q', "Only display container IDs"),
                Flag.bool("size", 's', "Display total file sizes")), ContainerCommands::ps));
        c.add(Command.of("logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container", List.of(
                Flag.bool("details", "Show extra details provided to logs"), Flag.bool("follow", 'f', "Follow log output"),
                Flag.value("since", "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)"),
                Flag.value("tail", 'n', "Number of lines to show from the end of the logs (default \"all\")"),
                Flag.bool("timestamps", 't', "Show timestamps"),
                Flag.value("until", "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)")),
                ContainerCommands::logs));
        c.add(new Command("exec", "[OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container", EXEC_FLAGS, false,
                ContainerRunner::exec));
        c.add(Command.of("attach", "[OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container",
                List.of(DETACH_KEYS, Flag.bool("no-stdin", "Do not attach STDIN"),
                        Flag.bool("sig-proxy", "Proxy all received signals to the process (default true)")),
                (s, a) -> {
                    arity(s, a, "attach", 1, 1);
                    return ContainerRunner.attach(s, a);
                }));
        c.add(each("stop", "Stop one or more running containers", List.of(
                Flag.value("signal", 's', "Signal to send to the container"), Flag.value("time", 't', "Seconds to wait before killing the container")),
                (s, a, id) -> s.api().call("POST", Query.path("/containers/%s/stop", id).param("signal", a.value("signal"))
                        .param("t", a.integer("time")).toString(), null)));
        c.add(each("restart", "Restart one or more containers", List.of(
                Flag.value("signal", 's', "Signal to send to the container"), Flag.value("time", 't', "Seconds to wait before killing the container")),
                (s, a, id) -> s.api().call("POST", Query.path("/containers/%s/restart", id).param("signal", a.value("signal"))
                        .param("t", a.integer("time")).toString(), null)));
        c.add(each("kill", "Kill one or more running containers", List.of(Flag.value("signal", 's', "Signal to send to the container")),
                (s, a, id) -> s.api().call("POST", Query.path("/containers/%s/kill", id).param("signal", a.value("signal")).toString(), null)));
        c.add(each("rm", "Remove one or more containers", List.of(
                Flag.bool("force", 'f', "Force the removal of a running container (uses SIGKILL)"),
                Flag.bool("link", 'l', "Remove the specified link"), Flag.bool("volumes", 'v', "Remove anonymous volumes associated with the container")),
                (s, a, id) -> s.api().call("DELETE", Query.path("/containers/%s", id).flag("force", a.bool("force"))
                        .flag("v", a.bool("volumes")).flag("link", a.bool("link")).toString(), null)));
        c.add(each("pause", "Pause all processes within one or more containers", List.of(),
                (s, a, id) -> s.api().call("POST", Query.path("/containers/%s/pause", id).toString(), null)));
        c.add(each("unpause", "Unpause all processes within one or more containers", List.of(),
                (s, a, id) -> s.api().call("POST", Query.path("/containers/%s/unpause", id).toString(), null)));
        c.add(Command.of("wait", "CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes", List.of(),
                (s, a) -> {
                    arity(s, a, "wait", 1);
                    int code = 0;
                    for (String id : a.positional()) {
                        try (Response r = s.api().open("POST", Query.path("/containers/%s/wait", id).toString(), null, false)) {
                            Map<String, Object> m = r.object();
                            s.out.println(m.get("StatusCode"));
                        } catch (DaemonException e) {
                            s.err.println("Error response from daemon: " + e.getMessage());
                            code = 1;
                        }
                    }
                    return code;
                }));
        c.add(Command.of("rename", "CONTAINER NEW_NAME", "Rename a container", List.of(), (s, a) -> {
            arity(s, a, "rename", 2, 2);
            s.api().call("POST", Query.path("/containers/%s/rename", a.positional().get(0)).param("name", a.positional().get(1)).toString(), null);
            return 0;
        }));
        c.add(Command.of("top", "CONTAINER [ps OPTIONS]", "Display the running processes of a container", List.of(), ContainerCommands::top));
        c.add(Command.of("port", "CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container", List.of(),
                ContainerCommands::port));
        c.add(Command.of("diff", "CONTAINER", "Inspect changes to files or directories on a container's filesystem", List.of(), (s, a) -> {
            arity(s, a, "diff", 1, 1);
            for (Object o : s.api().call("GET", Query.path("/containers/%s/changes", a.positional().getFirst()).toString(), null).array()) {
                Map<?, ?> ch = (Map<?, ?>) o;
                int kind = ((Number) ch.get("Kind")).intValue();
                s.out.println((kind == 1 ? "A" : kind == 2 ? "D" : "C") + " " + ch.get("Path"));
            }
            return 0;
        }));
        c.add(Command.of("commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes", List.of(
                Flag.value("author", 'a', "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
                Flag.list("change", 'c', "Apply Dockerfile instruction to the created image"),
                Flag.value("message", 'm', "Commit message"), Flag.bool("pause", 'p', "Pause container during commit (default true)")),
                ContainerCommands::commit));
        c.add(Command.of("export", "[OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive",
                List.of(Flag.value("output", 'o', "Write to a file, instead of STDOUT")), (s, a) -> {
                    arity(s, a, "export", 1, 1);
                    return download(s, Query.path("/containers/%s/export", a.positional().getFirst()).toString(), a.value("output"));
                }));
        c.add(Command.of("update", "[OPTIONS] CONTAINER [CONTAINER...]", "Update configuration of one or more containers", List.of(
                Flag.value("cpu-shares", 'c', "CPU shares (relative weight)"), Flag.value("cpus", "Number of CPUs"),
                Flag.value("cpuset-cpus", "CPUs in which to allow execution (0-3, 0,1)"), Flag.value("memory", 'm', "Memory limit"),
                Flag.value("memory-reservation", "Memory soft limit"), Flag.value("memory-swap", "Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
                Flag.value("pids-limit", "Tune container pids limit (set -1 for unlimited)"), Flag.value("restart", "Restart policy to apply when a container exits")),
                ContainerCommands::update));
        c.add(Command.of("inspect", "[OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Docker objects", List.of(
                Flag.value("format", 'f', "Format output using a custom template"), Flag.bool("size", 's', "Display total file sizes if the type is container"),
                Flag.value("type", "Return JSON for specified type")), Inspect::run));
        c.add(Command.of("stats", "[OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics", List.of(
                Flag.bool("all", 'a', "Show all containers (default shows just running)"), FORMAT,
                Flag.bool("no-stream", "Disable streaming stats and only pull the first result"), Flag.bool("no-trunc", "Do not truncate output")),
                Stats::run));
        c.add(Command.of("cp", "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-  or  SRC_PATH|- CONTAINER:DEST_PATH",
                "Copy files/folders between a container and the local filesystem", List.of(
                Flag.bool("archive", 'a', "Archive mode (copy all uid/gid information)"), Flag.bool("follow-link", 'L', "Always follow symbol link in SRC_PATH"),
                Flag.bool("quiet", 'q', "Suppress progress output during copy")), Copy::run));
        c.add(Command.of("container prune", "[OPTIONS]", "Remove all stopped containers", List.of(
                Flag.list("filter", "Provide filter values (e.g. \"until=<timestamp>\")"), Flag.bool("force", 'f', "Do not prompt for confirmation")),
                (s, a) -> SystemCommands.prune(s, a, "containers", "WARNING! This will remove all stopped containers.", "ContainersDeleted",
                        "Deleted Containers:")));
        return c;
    }

    /** An action on one container of a command that takes several and prints each one's name as given. */
    @FunctionalInterface
    interface EachAction {
        void run(Session s, Args a, String id) throws Exception;
    }

    /** docker's pattern for stop/rm/kill…: every container is tried, errors are printed one per line, exit 1 if any failed. */
    static Command each(String name, String summary, List<Flag> flags, EachAction action) {
        return Command.of(name, "[OPTIONS] CONTAINER [CONTAINER...]", summary, flags, (s, a) -> {
            arity(s, a, name, 1);
            int code = 0;
            for (String id : a.positional()) {
                try {
                    action.run(s, a, id);
                    s.out.println(id);
                } catch (DaemonException e) {
                    s.out.flush();
                    s.err.println("Error response from daemon: " + e.getMessage());
                    code = 1;
                }
            }
            return code;
        });
    }

    static void arity(Session s, Args a, String name, int min) {
        arity(s, a, name, min, Integer.MAX_VALUE);
    }

    static void arity(Session s, Args a, String name, int min, int max) {
        int n = a.positional().size();
        if (n < min || n > max) {
            String want = min == max ? "exactly " + min : n < min ? "at least " + min : "at most " + max;
            throw new UsageException("\"gantry " + name + "\" requires " + want + " argument" + (min == 1 && max == 1 || want.endsWith(" 1") ? "" : "s"));
        }
    }

    static int ps(Session s, Args a) {
        if (!a.positional().isEmpty()) {
            throw new UsageException("\"gantry ps\" accepts no arguments");
        }
        Integer last = a.integer("last");
        if (a.bool("latest")) {
            last = 1;
        }
        String path = Query.path("/containers/json").flag("all", a.bool("all") || last != null && last > 0)
                .param("limit", last != null && last > 0 ? last : null).flag("size", a.bool("size")).filters(a.list("filter")).toString();
        List<Object> list = s.api().call("GET", path, null).array();
        boolean trunc = !a.bool("no-trunc");
        long now = System.currentTimeMillis() / 1000;
        List<Row> rows = new ArrayList<>(list.size());
        for (Object o : list) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            rows.add(ContainerRows.row(m, trunc, now));
        }
        List<String> columns = new ArrayList<>(List.of("ID", "Image", "Command", "RunningFor", "Status", "Ports", "Names"));
        if (a.bool("size")) {
            columns.add("Size");
        }
        Listing.print(s.out, a, rows, columns, ContainerRows.TITLES, "ID");
        return 0;
    }

    static int logs(Session s, Args a) throws Exception {
        arity(s, a, "logs", 1, 1);
        String id = a.positional().getFirst();
        boolean tty = Boolean.TRUE.equals(ContainerRunner.config(ContainerRunner.inspect(s.api(), id)).get("Tty"));
        String path = Query.path("/containers/%s/logs", id).param("stdout", "1").param("stderr", "1").flag("follow", a.bool("follow"))
                .param("since", Times.apiTime("since", a.value("since"))).param("until", Times.apiTime("until", a.value("until")))
                .flag("timestamps", a.bool("timestamps")).flag("details", a.bool("details")).param("tail", a.value("tail")).toString();
        s.out.flush();
        try (Response r = s.api().open("GET", path, null, false)) {
            StdStreams.copy(r.body(), tty, new FileOutputStream(java.io.FileDescriptor.out), new FileOutputStream(java.io.FileDescriptor.err));
        }
        return 0;
    }

    static int top(Session s, Args a) {
        arity(s, a, "top", 1);
        String psArgs = a.positional().size() > 1 ? String.join(" ", a.positional().subList(1, a.positional().size())) : null;
        Map<String, Object> r = s.api().call("GET", Query.path("/containers/%s/top", a.positional().getFirst()).param("ps_args", psArgs).toString(), null).object();
        Table t = new Table();
        t.line(String.join("\t", strings(r.get("Titles"))));
        if (r.get("Processes") instanceof List<?> procs) {
            for (Object p : procs) {
                t.line(String.join("\t", strings(p)));
            }
        }
        t.print(s.out);
        return 0;
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }

    static int port(Session s, Args a) {
        arity(s, a, "port", 1, 2);
        Map<String, Object> info = ContainerRunner.inspect(s.api(), a.positional().getFirst());
        Map<?, ?> ports = info.get("NetworkSettings") instanceof Map<?, ?> ns && ns.get("Ports") instanceof Map<?, ?> p ? p : Map.of();
        String wanted = null;
        if (a.positional().size() == 2) {
            wanted = a.positional().get(1).contains("/") ? a.positional().get(1) : a.positional().get(1) + "/tcp";
        }
        boolean found = false;
        for (var e : ports.entrySet()) {
            if (!(e.getValue() instanceof List<?> bindings) || wanted != null && !wanted.equals(e.getKey())) {
                continue;
            }
            for (Object b : bindings) {
                Map<?, ?> bm = (Map<?, ?>) b;
                String ip = String.valueOf(bm.get("HostIp"));
                String host = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + bm.get("HostPort");
                s.out.println(wanted != null ? host : e.getKey() + " -> " + host);
                found = true;
            }
        }
        if (wanted != null && !found) {
            throw new GantryException(ErrorKind.NOT_FOUND, "no public port '" + wanted + "' published for " + a.positional().getFirst());
        }
        return 0;
    }

    static int commit(Session s, Args a) {
        arity(s, a, "commit", 1, 2);
        String repo = null;
        String tag = null;
        if (a.positional().size() == 2) {
            String ref = a.positional().get(1);
            int colon = ref.lastIndexOf(':');
            if (colon > ref.lastIndexOf('/')) {
                repo = ref.substring(0, colon);
                tag = ref.substring(colon + 1);
            } else {
                repo = ref;
            }
        }
        Query q = Query.path("/commit").param("container", a.positional().getFirst()).param("repo", repo).param("tag", tag)
                .param("comment", a.value("message")).param("author", a.value("author"))
                .param("pause", a.has("pause") ? Boolean.toString(a.bool("pause")) : null);
        for (String change : a.list("change")) {
            q.param("changes", change);
        }
        Map<String, Object> r = s.api().call("POST", q.toString(), Map.of()).object();
        s.out.println(r.get("Id"));
        return 0;
    }

    static int update(Session s, Args a) {
        arity(s, a, "update", 1);
        Map<String, Object> body = new LinkedHashMap<>();
        if (a.has("cpu-shares")) {
            body.put("CpuShares", a.integer("cpu-shares"));
        }
        if (a.has("cpus")) {
            body.put("NanoCpus", Units.nanoCpus(a.value("cpus")));
        }
        if (a.has("cpuset-cpus")) {
            body.put("CpusetCpus", a.value("cpuset-cpus"));
        }
        if (a.has("memory")) {
            body.put("Memory", Units.bytes("memory", a.value("memory")));
        }
        if (a.has("memory-reservation")) {
            body.put("MemoryReservation", Units.bytes("memory-reservation", a.value("memory-reservation")));
        }
        if (a.has("memory-swap")) {
            body.put("MemorySwap", a.value("memory-swap").equals("-1") ? -1L : Units.bytes("memory-swap", a.value("memory-swap")));
        }
        if (a.has("pids-limit")) {
            body.put("PidsLimit", (long) a.integer("pids-limit"));
        }
        if (a.has("restart")) {
            String[] p = a.value("restart").split(":", 2);
            Map<String, Object> policy = new LinkedHashMap<>();
            policy.put("Name", p[0]);
            if (p.length > 1) {
                policy.put("MaximumRetryCount", Integer.parseInt(p[1]));
            }
            body.put("RestartPolicy", policy);
        }
        if (body.isEmpty()) {
            throw new UsageException("you must provide one or more flags when using this command");
        }
        int code = 0;
        for (String id : a.positional()) {
            try {
                Map<String, Object> r = s.api().call("POST", Query.path("/containers/%s/update", id).toString(), body).object();
                if (r != null && r.get("Warnings") instanceof List<?> w) {
                    w.forEach(x -> s.err.println("WARNING: " + x));
                }
                s.out.println(id);
            } catch (DaemonException e) {
                s.err.println("Error response from daemon: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }

    /** Streams a GET's body to a file, or to stdout when it is not a terminal (docker refuses to write a tar to a terminal). */
    static int download(Session s, String path, String output) throws Exception {
        if (output == null && Session.isTerminal(1)) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, "cowardly refusing to save to a terminal: use the -o flag or redirect");
        }
        s.out.flush();
        try (Response r = s.api().open("GET", path, null, false);
                OutputStream out = output == null ? new FileOutputStream(java.io.FileDescriptor.out) : new FileOutputStream(output)) {
            r.body().transferTo(out);
        }
        return 0;
    }
}
