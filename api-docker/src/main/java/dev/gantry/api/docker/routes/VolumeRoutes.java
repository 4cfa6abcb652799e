package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.backend.VolumeApi;
import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.model.VolumeCreateRequest;
import java.util.Set;

/** The {@code /volumes} endpoints, bound to a {@link VolumeApi}. */
public final class VolumeRoutes {
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "driver", "label", "name");
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");

    private final VolumeApi volumes;

    public VolumeRoutes(VolumeApi volumes) {
        this.volumes = volumes;
    }

    public void register(Router router) {
        router.get("/volumes", r -> Reply.json(volumes.list(r.filters().requireOnly(LIST_FILTERS))));
        router.post("/volumes/create", r -> Reply.json(201, volumes.create(
                r.optionalJson(VolumeCreateRequest.class).orElse(new VolumeCreateRequest(null, null, null, null)))));
        router.post("/volumes/prune", r -> Reply.json(volumes.prune(r.filters().requireOnly(PRUNE_FILTERS))));
        router.get("/volumes/{name}", r -> Reply.json(volumes.inspect(r.param("name"))));
        router.delete("/volumes/{name}", r -> {
            volumes.remove(r.param("name"), r.bool("force", false));
            return Reply.empty(204);
        });
    }
}
