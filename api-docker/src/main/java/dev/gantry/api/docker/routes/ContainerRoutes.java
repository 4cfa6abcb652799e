package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.backend.AttachQuery;
import dev.gantry.api.docker.backend.CommitRequest;
import dev.gantry.api.docker.backend.ContainerApi;
import dev.gantry.api.docker.backend.ContainerListQuery;
import dev.gantry.api.docker.backend.LogQuery;
import dev.gantry.api.docker.backend.Timestamps;
import dev.gantry.api.docker.backend.WaitCondition;
import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Request;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.http.StdSink;
import dev.gantry.api.docker.json.Json;
import dev.gantry.api.docker.model.ContainerConfig;
import dev.gantry.api.docker.model.ContainerCreateRequest;
import dev.gantry.api.docker.model.ContainerUpdateRequest;
import dev.gantry.api.docker.model.ContainerWaitResponse;
import dev.gantry.api.docker.model.PathStat;
import dev.gantry.base.GantryException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code /containers/...} endpoints and {@code /commit}, bound to a {@link ContainerApi}. */
public final class ContainerRoutes {
    static final Set<String> LIST_FILTERS = Set.of("ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task",
            "label", "name", "network", "publish", "since", "status", "volume");
    private static final Set<String> PRUNE_FILTERS = Set.of("until", "label", "label!");
    /** Docker's rule for container names (daemon/names.go), with the optional leading slash. */
    private static final Pattern NAME = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final String PATH_STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final ContainerApi containers;

    public ContainerRoutes(ContainerApi containers) {
        this.containers = containers;
    }

    public void register(Router router) {
        router.get("/containers/json", this::list);
        router.post("/containers/create", this::create);
        router.post("/containers/prune", r -> Reply.json(containers.prune(r.filters().requireOnly(PRUNE_FILTERS))));
        router.get("/containers/{id}/json", r -> Reply.json(containers.inspect(r.param("id"), r.bool("size", false))));
        router.get("/containers/{id}/top", r -> Reply.json(containers.top(r.param("id"), r.query("ps_args"))));
        router.get("/containers/{id}/logs", this::logs);
        router.get("/containers/{id}/changes", r -> Reply.json(containers.changes(r.param("id"))));
        router.get("/containers/{id}/export", r -> {
            String id = r.param("id");
            containers.inspect(id, false);
            return Reply.stream(Reply.TAR, out -> containers.export(id, out));
        });
        router.get("/containers/{id}/stats", this::stats);
        router.post("/containers/{id}/resize", r -> {
            containers.resize(r.param("id"), RouteSupport.dimension(r, "h"), RouteSupport.dimension(r, "w"));
            return Reply.empty(200);
        });
        router.post("/containers/{id}/start", r -> Reply.empty(containers.start(r.param("id")) ? 204 : 304));
        router.post("/containers/{id}/stop", r -> Reply.empty(containers.stop(r.param("id"), r.query("signal"), r.intParam("t")) ? 204 : 304));
        router.post("/containers/{id}/restart", r -> {
            containers.restart(r.param("id"), r.query("signal"), r.intParam("t"));
            return Reply.empty(204);
        });
        router.post("/containers/{id}/kill", r -> {
            containers.kill(r.param("id"), r.query("signal"));
            return Reply.empty(204);
        });
        router.post("/containers/{id}/update", r -> Reply.json(containers.update(r.param("id"), r.json(ContainerUpdateRequest.class))));
        router.post("/containers/{id}/rename", r -> {
            String name = RouteSupport.required(r, "name");
            requireValidName(name);
            containers.rename(r.param("id"), name);
            return Reply.empty(204);
        });
        router.post("/containers/{id}/pause", r -> {
            containers.pause(r.param("id"));
            return Reply.empty(204);
        });
        router.post("/containers/{id}/unpause", r -> {
            containers.unpause(r.param("id"));
            return Reply.empty(204);
        });
        router.post("/containers/{id}/attach", this::attach);
        router.post("/containers/{id}/wait", this::waitFor);
        router.delete("/containers/{id}", r -> {
            containers.remove(r.param("id"), r.bool("force", false), r.bool("v", false), r.bool("link", false));
            return Reply.empty(204);
        });
        router.head("/containers/{id}/archive", r -> {
            PathStat stat = containers.statPath(r.param("id"), RouteSupport.required(r, "path"));
            return new Reply.Full(200, null, new byte[0], Map.of(PATH_STAT_HEADER, encodeStat(stat)));
        });
        router.get("/containers/{id}/archive", r -> {
            String id = r.param("id");
            String path = RouteSupport.required(r, "path");
            PathStat stat = containers.statPath(id, path);
            return new Reply.Streamed(200, Reply.TAR, out -> containers.getArchive(id, path, out), Map.of(PATH_STAT_HEADER, encodeStat(stat)));
        });
        router.put("/containers/{id}/archive", r -> {
            containers.putArchive(r.param("id"), RouteSupport.required(r, "path"), r.body(), r.bool("noOverwriteDirNonDir", false),
                    r.bool("copyUIDGID", false));
            return Reply.empty(200);
        });
        router.post("/commit", r -> Reply.json(201, containers.commit(new CommitRequest(RouteSupport.required(r, "container"),
                emptyToNull(r.query("repo")), emptyToNull(r.query("tag")), r.query("comment"), r.query("author"), r.bool("pause", true),
                r.queryAll("changes"), r.optionalJson(ContainerConfig.class).orElse(null)))));
    }

    private Reply list(Request r) {
        return Reply.json(containers.list(new ContainerListQuery(r.bool("all", false), positiveOrNull(r.intParam("limit")),
                r.bool("size", false), r.filters().requireOnly(LIST_FILTERS))));
    }

    private Reply create(Request r) {
        String name = emptyToNull(r.query("name"));
        if (name != null) {
            requireValidName(name);
        }
        var request = r.json(ContainerCreateRequest.class);
        return Reply.json(201, containers.create(name, emptyToNull(r.query("platform")), request));
    }

    private Reply logs(Request r) {
        String id = r.param("id");
        var query = new LogQuery(r.bool("follow", false), r.bool("stdout", false), r.bool("stderr", false),
                Timestamps.parse("since", r.query("since")), Timestamps.parse("until", r.query("until")), r.bool("timestamps", false),
                tail(r.query("tail")));
        if (!query.stdout() && !query.stderr()) {
            throw GantryException.invalid("Bad parameters: you must choose at least one stream");
        }
        boolean tty = containers.inspect(id, false).config().hasTty();
        return Reply.stream(RouteSupport.streamType(r.version(), tty), out -> {
            // Headers go out before the first line so `docker logs -f` on a quiet container is connected.
            out.flush();
            StdSink sink = RouteSupport.sink(tty, out);
            // Following, each entry leaves at once; a plain dump fills whole chunks instead.
            containers.logs(id, query, !query.follow() ? sink : (stream, data, off, len) -> {
                sink.write(stream, data, off, len);
                out.flush();
            });
        });
    }

    private Reply stats(Request r) {
        String id = r.param("id");
        boolean stream = r.bool("stream", true) && !r.bool("one-shot", false);
        containers.inspect(id, false);
        return Reply.stream(Reply.JSON, out -> containers.stats(id, stream, out::writeJson));
    }

    private Reply attach(Request r) {
        String id = r.param("id");
        var query = new AttachQuery(r.bool("logs", false), r.bool("stream", false), r.bool("stdin", false), r.bool("stdout", false),
                r.bool("stderr", false), emptyToNull(r.query("detachKeys")));
        boolean tty = containers.inspect(id, false).config().hasTty();
        ContainerApi.Attachment attachment = containers.attach(id, query);
        return Reply.hijack(RouteSupport.streamType(r.version(), tty), raw -> {
            attachment.run(raw.input(), RouteSupport.sink(tty, raw.output()));
            raw.closeOutput();
        });
    }

    private Reply waitFor(Request r) {
        ContainerApi.PendingWait wait = containers.wait(r.param("id"), WaitCondition.parse(r.query("condition")));
        return Reply.stream(Reply.JSON, out -> {
            // The headers tell the client the wait is in place (see ContainerApi#wait).
            out.flush();
            try {
                out.writeJson(wait.await());
            } catch (GantryException e) {
                // Headers are out: report the failed wait in the body, as dockerd does (the code is then meaningless).
                out.writeJson(new ContainerWaitResponse(-1, new ContainerWaitResponse.WaitError(e.getMessage())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("wait interrupted: the client went away");
            }
        });
    }

    static void requireValidName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw GantryException.invalid("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
    }

    /** {@code tail}: "all" or empty → everything; otherwise a non-negative count. */
    static Integer tail(String value) {
        if (value == null || value.isEmpty() || value.equals("all")) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                return null;
            }
            return n;
        } catch (NumberFormatException e) {
            throw GantryException.invalid("invalid value for tail: " + value + " (expected a number or \"all\")");
        }
    }

    static String encodeStat(PathStat stat) {
        return Base64.getEncoder().encodeToString(Json.write(stat));
    }

    private static Integer positiveOrNull(Integer v) {
        return v == null || v <= 0 ? null : v;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
