package dev.gantry.api.docker.http;

import dev.gantry.base.GantryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route table: method + path pattern → handler. Patterns name parameters in braces:
 * {@code {id}} matches one path segment, {@code {name*}} matches one or more segments (image
 * references contain slashes: {@code /images/localhost:5000/a/b/json}). Routes are tried in
 * the order they were added, so a more specific pattern must come first.
 *
 * <p>{@link #resolve} also strips the {@code /v1.NN} prefix and enforces the supported
 * version range; unversioned paths are served as {@link ApiVersion#MAX}, as dockerd does.
 */
public final class Router {
    private static final Pattern VERSIONED = Pattern.compile("^/v([0-9]+\\.[0-9]+)(/.*)$");
    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)(\\*?)}");

    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    private final List<Route> routes = new ArrayList<>();

    /** Handles one request on its own virtual thread; may block. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Request request) throws Exception;
    }

    private record Route(String method, String pattern, Pattern regex, List<String> names, Handler handler) {}

    public Router add(String method, String pattern, Handler handler) {
        var names = new ArrayList<String>();
        var regex = new StringBuilder("^");
        Matcher m = PARAM.matcher(pattern);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(pattern.substring(last, m.start())));
            regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(pattern.substring(last))).append('$');
        routes.add(new Route(method, pattern, Pattern.compile(regex.toString()), names, handler));
        return this;
    }

    public Router get(String pattern, Handler handler) {
        return add("GET", pattern, handler);
    }

    public Router post(String pattern, Handler handler) {
        return add("POST", pattern, handler);
    }

    public Router put(String pattern, Handler handler) {
        return add("PUT", pattern, handler);
    }

    public Router delete(String pattern, Handler handler) {
        return add("DELETE", pattern, handler);
    }

    public Router head(String pattern, Handler handler) {
        return add("HEAD", pattern, handler);
    }

    /** The registered routes as {@code METHOD pattern}, for tests and diagnostics. */
    public List<String> describe() {
        return routes.stream().map(r -> r.method() + " " + r.pattern()).toList();
    }

    /** A path split into its requested API version (null when unversioned) and the rest. */
    public record VersionedPath(ApiVersion requested, String path) {
        /** The version the request is served at: the one asked for (checked), else the maximum. */
        public ApiVersion effective() {
            return requested == null ? ApiVersion.MAX : requested.requireSupported();
        }
    }

    public static VersionedPath splitVersion(String path) {
        Matcher m = VERSIONED.matcher(path);
        if (m.matches()) {
            return new VersionedPath(ApiVersion.parse(m.group(1)), m.group(2));
        }
        return new VersionedPath(null, path);
    }

    /** A matched route: the handler and the request carrying its path parameters. */
    public record Match(Handler handler, Request request) {}

    /** Finds the route for a request; none → NOT_FOUND "page not found" (Docker's wording). */
    public Match resolve(Request request) {
        String path = request.path().length() > 1 && request.path().endsWith("/")
                ? request.path().substring(0, request.path().length() - 1)
                : request.path();
        for (Route r : routes) {
            if (!r.method().equals(request.method())) {
                continue;
            }
            Matcher m = r.regex().matcher(path);
            if (m.matches()) {
                var params = new LinkedHashMap<String, String>();
                for (int i = 0; i < r.names().size(); i++) {
                    params.put(r.names().get(i), m.group(i + 1));
                }
                return new Match(r.handler(), request.withPathParams(params));
            }
        }
        throw GantryException.notFound("page not found");
    }

    /** Resolves and runs the handler, turning every failure into an error reply. */
    public Reply dispatch(Request request) {
        try {
            Match match = resolve(request);
            return match.handler().handle(match.request());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (ErrorMapping.status(e) == 500) {
                LOG.log(System.Logger.Level.WARNING, request.method() + " " + request.path() + " failed", e);
            }
            return ErrorMapping.reply(e);
        }
    }
}
