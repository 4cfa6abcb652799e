package dev.gantry.api.docker.http;

import dev.gantry.api.docker.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a route handler answers. The server renders each kind: a whole body
 * ({@link Full}), a chunked stream the handler writes on its own thread ({@link Streamed}),
 * or a hijacked connection carrying raw bytes both ways ({@link Hijacked}).
 */
public sealed interface Reply {
    /** Extra response headers (for example {@code X-Docker-Container-Path-Stat}). */
    Map<String, String> headers();

    /** A complete body with its length known up front. */
    record Full(int status, String contentType, byte[] body, Map<String, String> headers) implements Reply {
        public Full {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * A chunked response: headers go out with the first byte the writer produces (or when it
     * returns), so a writer that fails before writing still gets a proper error status.
     */
    record Streamed(int status, String contentType, StreamWriter writer, Map<String, String> headers) implements Reply {
        public Streamed {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * The connection leaves HTTP: with {@code Upgrade: tcp} the server answers
     * {@code 101 UPGRADED}, otherwise (docker-java) a plain {@code 200} with no length; then
     * {@code handler} owns the raw byte stream until it returns, when the connection closes.
     */
    record Hijacked(String contentType, RawStreamHandler handler, Map<String, String> headers) implements Reply {
        public Hijacked {
            headers = Map.copyOf(headers);
        }
    }

    /** Writes a streamed body; runs on the request's virtual thread. */
    @FunctionalInterface
    interface StreamWriter {
        void writeTo(ResponseStream out) throws IOException;
    }

    /** Serves a hijacked connection; runs on the request's virtual thread. */
    @FunctionalInterface
    interface RawStreamHandler {
        void handle(RawStream stream) throws IOException;
    }

    String JSON = "application/json";
    String RAW_STREAM = "application/vnd.docker.raw-stream";
    String MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";
    String TAR = "application/x-tar";

    static Full json(Object body) {
        return json(200, body);
    }

    static Full json(int status, Object body) {
        return new Full(status, JSON, Json.write(body), Map.of());
    }

    static Full text(int status, String text) {
        return new Full(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Full empty(int status) {
        return new Full(status, null, new byte[0], Map.of());
    }

    static Streamed stream(String contentType, StreamWriter writer) {
        return new Streamed(200, contentType, writer, Map.of());
    }

    static Hijacked hijack(String contentType, RawStreamHandler handler) {
        return new Hijacked(contentType, handler, Map.of());
    }
}
