package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;

/**
 * The commands that create containers or connect a terminal to one: run, create, start -a,
 * attach and exec. {@code run} follows the docker CLI's order on the wire: create (pulling a
 * missing image first), attach (101), wait ({@code condition=removed} with {@code --rm},
 * {@code next-exit} otherwise; the daemon answers its headers once the wait is in place), start,
 * then the streams until the container's output ends, then the wait's status code.
 */
final class ContainerRunner {
    /** Signals forwarded to the container with {@code --sig-proxy} (docker forwards all it can catch). */
    private static final List<String> PROXIED = List.of("INT", "TERM", "HUP", "USR1", "USR2");

    private ContainerRunner() {}

    static int create(Session s, Args a) {
        CreateRequest req = CreateRequest.from(a, true, s::env);
        String id = createContainer(s, req, a);
        s.out.println(id);
        return 0;
    }

    static int run(Session s, Args a) throws Exception {
        boolean detach = a.bool("detach");
        CreateRequest req = CreateRequest.from(a, detach, s::env);
        DetachKeys keys = DetachKeys.parse(a.value("detach-keys"));
        boolean tty = a.bool("tty");
        boolean stdin = a.bool("interactive") && !detach;
        if (tty && stdin && !Session.isTerminal(0)) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, "the input device is not a TTY; drop -t, or run from a terminal");
        }
        String id = createContainer(s, req, a);
        ApiClient api = s.api();
        if (detach) {
            start(api, id);
            s.out.println(id);
            return 0;
        }
        boolean proxy = !a.has("sig-proxy") || a.bool("sig-proxy");
        return connect(s, id, new Streams(tty, stdin, proxy, keys), a.bool("rm") ? "removed" : "next-exit", () -> {
            try {
                start(api, id);
                return null;
            } catch (DaemonException e) {
                if (a.bool("rm")) {
                    // As dockerd does for an auto-remove container whose start failed: nothing is
                    // left behind. gantryd removes it itself, so a 404 here is that, not an error.
                    try {
                        api.call("DELETE", Query.path("/containers/%s", id).flag("force", true).toString(), null);
                    } catch (DaemonException gone) {
                        if (gone.status() != 404) {
                            throw gone;
                        }
                    }
                }
                return startFailure(s, e);
            }
        });
    }

    /** {@code start}: without {@code -a}, starts each container and prints its name; with it, attaches like run. */
    static int start(Session s, Args a) throws Exception {
        ApiClient api = s.api();
        if (!a.bool("attach") && !a.bool("interactive")) {
            int code = 0;
            for (String c : a.positional()) {
                try {
                    start(api, c);
                    s.out.println(c);
                } catch (DaemonException e) {
                    s.out.flush();
                    s.err.println("Error response from daemon: " + e.getMessage());
                    code = 1;
                }
            }
            if (code != 0) {
                s.err.println("Error: failed to start containers: " + String.join(", ", a.positional()));
            }
            return code;
        }
        if (a.positional().size() != 1) {
            throw new UsageException("you cannot start and attach multiple containers at once");
        }
        String id = a.positional().getFirst();
        Map<String, Object> info = inspect(api, id);
        boolean tty = Boolean.TRUE.equals(config(info).get("Tty"));
        boolean stdin = a.bool("interactive") && Boolean.TRUE.equals(config(info).get("OpenStdin"));
        return connect(s, id, new Streams(tty, stdin, true, DetachKeys.parse(a.value("detach-keys"))), "next-exit", () -> {
            try {
                start(api, id);
                return null;
            } catch (DaemonException e) {
                return startFailure(s, e);
            }
        });
    }

    static int attach(Session s, Args a) throws Exception {
        ApiClient api = s.api();
        String id = a.positional().getFirst();
        Map<String, Object> info = inspect(api, id);
        Map<?, ?> state = (Map<?, ?>) info.get("State");
        if (state == null || !Boolean.TRUE.equals(state.get("Running"))) {
            throw new GantryException(ErrorKind.CONFLICT, "You cannot attach to a stopped container, start it first");
        }
        boolean tty = Boolean.TRUE.equals(config(info).get("Tty"));
        boolean stdin = !a.bool("no-stdin") && Boolean.TRUE.equals(config(info).get("OpenStdin"));
        boolean proxy = !a.has("sig-proxy") || a.bool("sig-proxy");
        return connect(s, id, new Streams(tty, stdin, proxy, DetachKeys.parse(a.value("detach-keys"))), "next-exit", null);
    }

    /** How a client joins a container's streams. */
    private record Streams(boolean tty, boolean stdin, boolean proxySignals, DetachKeys keys) {}

    /** Starts the container once the attachment and the wait are in place; returns an exit code to end with, or null. */
    @FunctionalInterface
    private interface Starter {
        Integer start();
    }

    /**
     * What run, start -a and attach share: attach (101), the wait (its headers mean it is in
     * place), the optional start, the terminal (raw mode, window size) or the signal proxy, the
     * streams until the output ends or the user detaches, then the container's exit code.
     */
    private static int connect(Session s, String id, Streams streams, String waitCondition, Starter starter) throws IOException {
        ApiClient api = s.api();
        s.out.flush();
        Response attach = api.open("POST", Query.path("/containers/%s/attach", id).param("stream", "1").flag("stdin", streams.stdin())
                .param("stdout", "1").param("stderr", "1").toString(), null, true);
        Response wait = api.open("POST", Query.path("/containers/%s/wait", id).param("condition", waitCondition).toString(), null, false);
        Terminal terminal = null;
        try {
            if (starter != null) {
                Integer failed = starter.start();
                if (failed != null) {
                    return failed;
                }
            }
            if (streams.tty() && streams.stdin()) {
                terminal = Terminal.rawStdin();
            }
            if (streams.tty()) {
                watchWindow(s, Query.path("/containers/%s/resize", id).toString());
            } else if (streams.proxySignals()) {
                proxySignals(s, id);
            }
            if (Attachment.pump(attach, streams.tty(), streams.stdin() ? s.in : null, streams.keys()) == Attachment.End.DETACHED) {
                close(terminal);
                terminal = null;
                s.err.println("read escape sequence");
                return 0;
            }
            return statusCode(wait);
        } finally {
            close(terminal);
            attach.close();
            wait.close();
        }
    }

    static int exec(Session s, Args a) throws Exception {
        if (a.positional().size() < 2) {
            throw new UsageException("\"gantry exec\" requires at least 2 arguments: CONTAINER COMMAND [ARG...]");
        }
        ApiClient api = s.api();
        String container = a.positional().getFirst();
        boolean detach = a.bool("detach");
        boolean tty = a.bool("tty");
        boolean stdin = a.bool("interactive") && !detach;
        if (tty && stdin && !Session.isTerminal(0)) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, "the input device is not a TTY; drop -t, or run from a terminal");
        }
        Map<String, Object> body = execBody(a, s::env);
        String execId = (String) api.call("POST", Query.path("/containers/%s/exec", container).toString(), body).object().get("Id");
        Map<String, Object> startBody = Map.of("Detach", detach, "Tty", tty);
        if (detach) {
            api.call("POST", Query.path("/exec/%s/start", execId).toString(), startBody);
            return 0;
        }
        s.out.flush();
        Terminal terminal = null;
        try (Response io = api.open("POST", Query.path("/exec/%s/start", execId).toString(),
                ApiClient.Body.json(Json.write(startBody).getBytes(java.nio.charset.StandardCharsets.UTF_8)), true)) {
            if (tty && stdin) {
                terminal = Terminal.rawStdin();
            }
            if (tty) {
                watchWindow(s, Query.path("/exec/%s/resize", execId).toString());
            }
            if (Attachment.pump(io, tty, stdin ? s.in : null, DetachKeys.parse(a.value("detach-keys"))) == Attachment.End.DETACHED) {
                return 0;
            }
        } finally {
            close(terminal);
        }
        Object code = api.call("GET", Query.path("/exec/%s/json", execId).toString(), null).object().get("ExitCode");
        return code instanceof Number n ? n.intValue() : 0;
    }

    /**
     * The body of {@code POST /containers/{id}/exec} (ExecConfig) from exec's flags:
     * positional[0] is the container, the rest the command.
     */
    static Map<String, Object> execBody(Args a, java.util.function.Function<String, String> env) throws IOException {
        boolean detach = a.bool("detach");
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("AttachStdin", a.bool("interactive") && !detach);
        body.put("AttachStdout", !detach);
        body.put("AttachStderr", !detach);
        body.put("Tty", a.bool("tty"));
        List<String> vars = new ArrayList<>();
        for (String f : a.list("env-file")) {
            Files.readAllLines(Path.of(f)).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(vars::add);
        }
        for (String e : a.list("env")) {
            if (e.contains("=")) {
                vars.add(e);
            } else if (env.apply(e) != null) {
                vars.add(e + "=" + env.apply(e));
            }
        }
        if (!vars.isEmpty()) {
            body.put("Env", vars);
        }
        if (a.has("user")) {
            body.put("User", a.value("user"));
        }
        if (a.has("workdir")) {
            body.put("WorkingDir", a.value("workdir"));
        }
        if (a.bool("privileged")) {
            body.put("Privileged", true);
        }
        body.put("Cmd", a.positional().subList(1, a.positional().size()));
        return body;
    }

    /** Creates the container, pulling its image first when the daemon lacks it (unless {@code --pull never}). */
    static String createContainer(Session s, CreateRequest req, Args a) {
        ApiClient api = s.api();
        String pull = a.value("pull", "missing");
        if (!pull.equals("missing") && !pull.equals("always") && !pull.equals("never")) {
            throw new UsageException("invalid --pull '" + pull + "': use always, missing or never");
        }
        if (pull.equals("always")) {
            ImageCommands.pull(s, req.image(), a.bool("quiet"), s.err);
        }
        String path = Query.path("/containers/create").param("name", req.name()).param("platform", a.value("platform")).toString();
        Map<String, Object> created;
        try {
            created = api.call("POST", path, req.body()).object();
        } catch (DaemonException e) {
            if (e.status() != 404 || pull.equals("never") || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("no such image")) {
                throw e;
            }
            s.err.println("Unable to find image '" + ImageCommands.withTag(req.image()) + "' locally");
            ImageCommands.pull(s, req.image(), a.bool("quiet"), s.err);
            created = api.call("POST", path, req.body()).object();
        }
        Object warnings = created.get("Warnings");
        if (warnings instanceof List<?> l) {
            for (Object w : l) {
                s.err.println("WARNING: " + w);
            }
        }
        String id = (String) created.get("Id");
        if (a.has("cidfile")) {
            try {
                Files.writeString(Path.of(a.value("cidfile")), id);
            } catch (IOException e) {
                throw new GantryException(ErrorKind.INVALID_ARGUMENT, "--cidfile: cannot write " + a.value("cidfile") + ": " + e.getMessage());
            }
        }
        return id;
    }

    private static void start(ApiClient api, String id) {
        api.call("POST", Query.path("/containers/%s/start", id).toString(), null);
    }

    /**
     * docker's run exit codes when the program cannot start: 127 when it is not found, 126 when
     * it cannot be invoked (permission, not executable), 125 for any other refusal.
     */
    static int startFailure(Session s, DaemonException e) {
        s.out.flush();
        s.err.println("Error response from daemon: " + e.getMessage());
        String m = e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("not found") && (m.contains("executable") || m.contains("$path") || m.contains("exec"))
                || m.contains("no such file or directory")) {
            return 127;
        }
        if (m.contains("permission denied") || m.contains("not executable") || m.contains("is a directory")) {
            return 126;
        }
        return Gantry.EXIT_DOCKER;
    }

    private static int statusCode(Response wait) {
        Map<String, Object> r = wait.object();
        if (r == null) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "gantryd closed the wait without a status code");
        }
        if (r.get("Error") instanceof Map<?, ?> err && err.get("Message") != null) {
            throw new GantryException(ErrorKind.INTERNAL, "waiting for the container: " + err.get("Message"));
        }
        return ((Number) r.get("StatusCode")).intValue();
    }

    /** Sends the window's size now and on every SIGWINCH, each on a fresh connection. */
    private static void watchWindow(Session s, String resizePath) {
        Runnable resize = () -> {
            int[] size = Terminal.windowSize();
            if (size != null) {
                try (ApiClient c = new ApiClient(s.socket())) {
                    c.call("POST", resizePath + "?h=" + size[0] + "&w=" + size[1], null);
                } catch (GantryException e) {
                    // The container or exec may have ended between the signal and the call.
                }
            }
        };
        resize.run();
        Terminal.onResize(resize);
    }

    /** Forwards the signals docker's --sig-proxy forwards, as {@code kill} calls. */
    private static void proxySignals(Session s, String id) {
        for (String name : PROXIED) {
            Signal.handle(new Signal(name), sig -> {
                try (ApiClient c = new ApiClient(s.socket())) {
                    c.call("POST", Query.path("/containers/%s/kill", id).param("signal", "SIG" + name).toString(), null);
                } catch (GantryException e) {
                    // The container ended meanwhile.
                }
            });
        }
    }

    static Map<String, Object> inspect(ApiClient api, String id) {
        return api.call("GET", Query.path("/containers/%s/json", id).toString(), null).object();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> config(Map<String, Object> info) {
        Object c = info.get("Config");
        return c instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static void close(Terminal t) {
        if (t != null) {
            t.close();
        }
    }
}
