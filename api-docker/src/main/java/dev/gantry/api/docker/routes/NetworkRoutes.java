package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.backend.NetworkApi;
import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.model.NetworkConnectRequest;
import dev.gantry.api.docker.model.NetworkCreateRequest;
import dev.gantry.api.docker.model.NetworkDisconnectRequest;
import java.util.Set;

/** The {@code /networks} endpoints, bound to a {@link NetworkApi}. */
public final class NetworkRoutes {
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "driver", "id", "label", "name", "scope", "type");
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!");

    private final NetworkApi networks;

    public NetworkRoutes(NetworkApi networks) {
        this.networks = networks;
    }

    public void register(Router router) {
        router.get("/networks", r -> Reply.json(networks.list(r.filters().requireOnly(LIST_FILTERS))));
        router.post("/networks/create", r -> Reply.json(201, networks.create(r.json(NetworkCreateRequest.class))));
        router.post("/networks/prune", r -> Reply.json(networks.prune(r.filters().requireOnly(PRUNE_FILTERS))));
        router.get("/networks/{id}", r -> Reply.json(networks.inspect(r.param("id"))));
        router.delete("/networks/{id}", r -> {
            networks.remove(r.param("id"));
            return Reply.empty(204);
        });
        router.post("/networks/{id}/connect", r -> {
            networks.connect(r.param("id"), r.json(NetworkConnectRequest.class));
            return Reply.empty(200);
        });
        router.post("/networks/{id}/disconnect", r -> {
            networks.disconnect(r.param("id"), r.json(NetworkDisconnectRequest.class));
            return Reply.empty(200);
        });
    }
}
