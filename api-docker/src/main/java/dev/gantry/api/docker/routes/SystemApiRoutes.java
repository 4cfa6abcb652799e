package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.backend.EventQuery;
import dev.gantry.api.docker.backend.SystemApi;
import dev.gantry.api.docker.backend.Timestamps;
import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Request;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.model.AuthConfig;
import dev.gantry.base.GantryException;
import java.util.LinkedHashSet;
import java.util.Set;

/** {@code /system/df}, {@code /events} and {@code /auth}, bound to the engine's {@link SystemApi}. */
public final class SystemApiRoutes {
    static final Set<String> EVENT_FILTERS = Set.of("config", "container", "daemon", "event", "image", "label", "network", "node",
            "plugin", "scope", "secret", "service", "type", "volume");
    private static final Set<String> DF_TYPES = Set.of("container", "image", "volume", "build-cache");

    private final SystemApi system;

    public SystemApiRoutes(SystemApi system) {
        this.system = system;
    }

    public void register(Router router) {
        router.get("/system/df", r -> Reply.json(system.dataUsage(dfTypes(r))));
        router.get("/events", r -> {
            var query = new EventQuery(Timestamps.parse("since", r.query("since")), Timestamps.parse("until", r.query("until")),
                    r.filters().requireOnly(EVENT_FILTERS));
            return Reply.stream(Reply.JSON, out -> {
                // Headers first: the CLI shows nothing until it has them, and a quiet stream may wait long.
                out.flush();
                system.events(query, out::writeJson);
            });
        });
        router.post("/auth", r -> Reply.json(system.login(r.json(AuthConfig.class))));
    }

    private static Set<String> dfTypes(Request r) {
        var types = new LinkedHashSet<String>();
        for (String t : r.queryAll("type")) {
            if (!DF_TYPES.contains(t)) {
                throw GantryException.invalid("invalid type '" + t + "': expected one of container, image, volume, build-cache");
            }
            types.add(t);
        }
        return types;
    }
}
