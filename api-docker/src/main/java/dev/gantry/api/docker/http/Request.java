package dev.gantry.api.docker.http;

import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.json.Json;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One API request as a route handler sees it: the method, the path without its
 * {@code /v1.NN} prefix, the negotiated {@link ApiVersion}, path parameters bound by the
 * {@link Router}, query parameters, headers, and the body as a blocking stream. The body of a
 * JSON endpoint is read through {@link #json} under the server's size limit; archive and
 * image uploads read {@link #body()} directly, without a limit.
 */
public final class Request {
    private final String method;
    private final String path;
    private final ApiVersion version;
    private final Map<String, List<String>> query;
    private final Function<String, String> headers;
    private final InputStream body;
    private final long jsonLimit;
    private final Map<String, String> pathParams;

    public Request(String method, String path, ApiVersion version, Map<String, List<String>> query,
                   Function<String, String> headers, InputStream body, long jsonLimit) {
        this(method, path, version, query, headers, body, jsonLimit, Map.of());
    }

    private Request(String method, String path, ApiVersion version, Map<String, List<String>> query,
                    Function<String, String> headers, InputStream body, long jsonLimit, Map<String, String> pathParams) {
        this.method = method;
        this.path = path;
        this.version = version;
        this.query = Map.copyOf(query);
        this.headers = headers;
        this.body = body;
        this.jsonLimit = jsonLimit;
        this.pathParams = Map.copyOf(pathParams);
    }

    Request withPathParams(Map<String, String> params) {
        return new Request(method, path, version, query, headers, body, jsonLimit, params);
    }

    public String method() {
        return method;
    }

    /** The path with any {@code /v1.NN} prefix removed, percent-decoded. */
    public String path() {
        return path;
    }

    public ApiVersion version() {
        return version;
    }

    /** A parameter bound by the route pattern, e.g. {@code id} in {@code /containers/{id}/json}. */
    public String param(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return v;
    }

    /** The first value of a query parameter, or null when absent. */
    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    /**
     * A boolean query parameter read as Docker's {@code httputils.BoolValue}: absent → the
     * default; "", "0", "no", "false", "none" (any case) → false; anything else → true.
     */
    public boolean bool(String name, boolean defaultValue) {
        if (!query.containsKey(name)) {
            return defaultValue;
        }
        String v = query(name);
        v = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
        return !(v.isEmpty() || v.equals("0") || v.equals("no") || v.equals("false") || v.equals("none"));
    }

    /** An integer query parameter; absent or empty → null; not a number → INVALID_ARGUMENT naming it. */
    public Long longParam(String name) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw GantryException.invalid("invalid value for query parameter " + name + ": " + v);
        }
    }

    public Integer intParam(String name) {
        Long v = longParam(name);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw GantryException.invalid("query parameter " + name + " out of range: " + v);
        }
        return v.intValue();
    }

    /** The {@code filters} query parameter (both list and map forms). */
    public Filters filters() {
        return Filters.parse(query("filters"));
    }

    /** A header value, or null; names are case-insensitive. */
    public String header(String name) {
        return headers.apply(name);
    }

    /** The raw body stream, for uploads (tar archives, image loads, stdin of an import). */
    public InputStream body() {
        return body;
    }

    /**
     * Decodes a JSON body of at most the server's JSON limit (over it: 413). A missing body is
     * an INVALID_ARGUMENT; use {@link #optionalJson} where Docker allows none.
     */
    public <T> T json(Class<T> type) {
        return optionalJson(type).orElseThrow(() -> GantryException.invalid("request body is empty: expected a JSON " + type.getSimpleName()));
    }

    /** Decodes a JSON body if one was sent. */
    public <T> Optional<T> optionalJson(Class<T> type) {
        String contentType = header("Content-Type");
        if (contentType != null && !contentType.isBlank() && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw GantryException.invalid("unsupported Content-Type header (" + contentType + "): must be 'application/json'");
        }
        String length = header("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw GantryException.invalid("invalid Content-Length header: " + length);
            }
            if (declared > jsonLimit) {
                throw new BodyTooLargeException(declared, jsonLimit);
            }
        }
        byte[] bytes;
        try {
            bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, jsonLimit + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("reading request body", e);
        }
        if (bytes.length > jsonLimit) {
            throw new BodyTooLargeException(bytes.length, jsonLimit);
        }
        if (isBlank(bytes)) {
            return Optional.empty();
        }
        T value = Json.read(new java.io.ByteArrayInputStream(bytes), type);
        return Optional.ofNullable(value);
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
