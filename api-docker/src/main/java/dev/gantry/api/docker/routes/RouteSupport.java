package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.backend.Sink;
import dev.gantry.api.docker.http.ApiVersion;
import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Request;
import dev.gantry.api.docker.http.StdSink;
import dev.gantry.api.docker.http.StdStreamWriter;
import dev.gantry.api.docker.json.Json;
import dev.gantry.api.docker.model.AuthConfig;
import dev.gantry.api.docker.model.ProgressMessage;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Helpers shared by the route classes: stream formats, registry credentials, progress streams. */
final class RouteSupport {
    private RouteSupport() {}

    /** A progress-reporting operation (pull, push, load, import). */
    @FunctionalInterface
    interface ProgressOperation {
        void run(Sink<ProgressMessage> progress) throws IOException;
    }

    /**
     * The output sink for a container or exec stream: raw with a TTY, multiplexed without
     * (Docker's stdcopy frames).
     */
    static StdSink sink(boolean tty, OutputStream out) {
        return tty ? StdSink.raw(out) : new StdStreamWriter(out);
    }

    /**
     * The content type of a container or exec stream. API 1.42 introduced a distinct type for
     * the multiplexed format; older clients expect the raw-stream type for both.
     */
    static String streamType(ApiVersion version, boolean tty) {
        return !tty && version.atLeast(1, 42) ? Reply.MULTIPLEXED_STREAM : Reply.RAW_STREAM;
    }

    /**
     * A JSON-lines progress stream. A failure before the first message becomes a normal
     * error status; after it, a final {@code {"error": ...}} message, which is how Docker
     * clients learn that a pull failed half-way.
     */
    static Reply progress(ProgressOperation operation) {
        return Reply.stream(Reply.JSON, out -> {
            try {
                operation.run(out::writeJson);
            } catch (GantryException e) {
                if (!out.committed()) {
                    throw e;
                }
                out.writeJson(ProgressMessage.failure(e.getMessage()));
            }
        });
    }

    /**
     * The credentials of the {@code X-Registry-Auth} header: base64url-encoded JSON (clients
     * differ on padding and alphabet, so both alphabets are accepted). Absent → null.
     */
    static AuthConfig registryAuth(Request request) {
        String header = request.header("X-Registry-Auth");
        if (header == null || header.isBlank()) {
            return null;
        }
        String text = header.trim().replace('+', '-').replace('/', '_');
        while (text.endsWith("=")) {
            text = text.substring(0, text.length() - 1);
        }
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw GantryException.invalid("invalid X-Registry-Auth header: not base64url");
        }
        return Json.read(new String(json, StandardCharsets.UTF_8), AuthConfig.class);
    }

    /** A required query parameter. */
    static String required(Request request, String name) {
        String v = request.query(name);
        if (v == null || v.isEmpty()) {
            throw GantryException.invalid("missing query parameter " + name);
        }
        return v;
    }

    /** Height and width of a resize request, both required and non-negative. */
    static int dimension(Request request, String name) {
        Integer v = request.intParam(name);
        if (v == null || v < 0) {
            throw GantryException.invalid("query parameter " + name + " must be a non-negative integer");
        }
        return v;
    }
}
