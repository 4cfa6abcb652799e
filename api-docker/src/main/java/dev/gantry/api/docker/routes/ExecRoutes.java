package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.backend.ExecApi;
import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Request;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.model.ExecConfig;
import dev.gantry.api.docker.model.ExecStartConfig;
import dev.gantry.base.GantryException;
import java.nio.charset.StandardCharsets;

/** {@code POST /containers/{id}/exec} and the {@code /exec/...} endpoints, bound to an {@link ExecApi}. */
public final class ExecRoutes {
    private final ExecApi exec;

    public ExecRoutes(ExecApi exec) {
        this.exec = exec;
    }

    public void register(Router router) {
        router.post("/containers/{id}/exec", r -> {
            ExecConfig config = r.json(ExecConfig.class);
            if (config.cmd() == null || config.cmd().isEmpty()) {
                throw GantryException.invalid("No exec command specified");
            }
            return Reply.json(201, exec.create(r.param("id"), config));
        });
        router.post("/exec/{id}/start", this::start);
        router.post("/exec/{id}/resize", r -> {
            exec.resize(r.param("id"), RouteSupport.dimension(r, "h"), RouteSupport.dimension(r, "w"));
            return Reply.empty(200);
        });
        router.get("/exec/{id}/json", r -> Reply.json(exec.inspect(r.param("id"))));
    }

    private Reply start(Request r) {
        String id = r.param("id");
        ExecStartConfig config = r.optionalJson(ExecStartConfig.class).orElse(new ExecStartConfig(false, false, null));
        if (Boolean.TRUE.equals(config.detach())) {
            exec.startDetached(id, config);
            return Reply.empty(200);
        }
        boolean tty = exec.inspect(id).hasTty();
        return Reply.hijack(RouteSupport.streamType(r.version(), tty), raw -> {
            try {
                exec.start(id, config, raw.input(), RouteSupport.sink(tty, raw.output()));
            } catch (GantryException e) {
                // The status line is gone; like dockerd, say what failed in the stream itself.
                raw.output().write((e.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            raw.closeOutput();
        });
    }
}
