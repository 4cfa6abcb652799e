package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.backend.ImageApi;
import dev.gantry.api.docker.backend.ImportRequest;
import dev.gantry.api.docker.backend.PullRequest;
import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Request;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.json.Filters;
import dev.gantry.base.GantryException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code /images/...} endpoints, bound to an {@link ImageApi}. */
public final class ImageRoutes {
    private static final Set<String> LIST_FILTERS = Set.of("before", "dangling", "label", "reference", "since", "until");
    private static final Set<String> PRUNE_FILTERS = Set.of("dangling", "until", "label", "label!");
    private static final Set<String> SEARCH_FILTERS = Set.of("is-automated", "is-official", "stars");

    private final ImageApi images;

    public ImageRoutes(ImageApi images) {
        this.images = images;
    }

    public void register(Router router) {
        router.get("/images/json", this::list);
        router.post("/images/create", this::create);
        router.post("/images/load", r -> {
            boolean quiet = r.bool("quiet", false);
            return RouteSupport.progress(progress -> images.load(r.body(), quiet, progress));
        });
        router.get("/images/search", r -> Reply.json(images.search(RouteSupport.required(r, "term"), r.intParam("limit"),
                r.filters().requireOnly(SEARCH_FILTERS), RouteSupport.registryAuth(r))));
        router.post("/images/prune", r -> Reply.json(images.prune(r.filters().requireOnly(PRUNE_FILTERS))));
        router.get("/images/get", r -> save(r.queryAll("names")));
        router.get("/images/{name*}/json", r -> Reply.json(images.inspect(r.param("name"))));
        router.get("/images/{name*}/history", r -> Reply.json(images.history(r.param("name"))));
        router.get("/images/{name*}/get", r -> save(List.of(r.param("name"))));
        router.post("/images/{name*}/push", r -> {
            String name = r.param("name");
            String tag = emptyToNull(r.query("tag"));
            var auth = RouteSupport.registryAuth(r);
            return RouteSupport.progress(progress -> images.push(name, tag, auth, progress));
        });
        router.post("/images/{name*}/tag", r -> {
            images.tag(r.param("name"), RouteSupport.required(r, "repo"), emptyToNull(r.query("tag")));
            return Reply.empty(201);
        });
        router.delete("/images/{name*}", r -> Reply.json(images.remove(r.param("name"), r.bool("force", false), r.bool("noprune", false))));
    }

    private Reply list(Request r) {
        Filters filters = r.filters();
        // API < 1.25 clients send a bare reference as `filter`; it is the `reference` filter today.
        String legacy = r.query("filter");
        if (legacy != null && !legacy.isEmpty()) {
            var values = new LinkedHashMap<>(filters.values());
            var refs = new LinkedHashSet<>(filters.get("reference"));
            refs.add(legacy);
            values.put("reference", refs);
            filters = new Filters(values);
        }
        return Reply.json(images.list(r.bool("all", false), filters.requireOnly(LIST_FILTERS), r.bool("digests", false),
                r.bool("shared-size", false)));
    }

    private Reply create(Request r) {
        String fromImage = emptyToNull(r.query("fromImage"));
        String fromSrc = emptyToNull(r.query("fromSrc"));
        if (fromImage != null) {
            var pull = new PullRequest(fromImage, emptyToNull(r.query("tag")), emptyToNull(r.query("platform")), RouteSupport.registryAuth(r));
            return RouteSupport.progress(progress -> images.pull(pull, progress));
        }
        if (fromSrc == null) {
            throw GantryException.invalid("one of fromImage or fromSrc is required");
        }
        if (!fromSrc.equals("-")) {
            throw GantryException.invalid("fromSrc must be \"-\" (the tarball in the request body): this daemon does not download from URLs");
        }
        var request = new ImportRequest(emptyToNull(r.query("repo")), emptyToNull(r.query("tag")), r.query("message"),
                r.queryAll("changes"), emptyToNull(r.query("platform")));
        return RouteSupport.progress(progress -> images.importImage(request, r.body(), progress));
    }

    private Reply save(List<String> names) {
        if (names.isEmpty()) {
            throw GantryException.invalid("missing query parameter names");
        }
        names.forEach(images::inspect);
        return Reply.stream(Reply.TAR, out -> images.save(names, out));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
