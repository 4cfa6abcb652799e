package dev.gantry.api.docker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the API server listens: the socket path (default {@code /run/gantry/gantry.sock}; the
 * daemon may choose {@code /var/run/docker.sock}), the group given to the socket when it
 * exists ({@code gantry}), the largest JSON body accepted (larger: 413), and the engine
 * version reported by {@code /version} and {@code /info}.
 */
public record ServerOptions(Path socket, String socketGroup, long maxJsonBody, String engineVersion) {
    public static final Path DEFAULT_SOCKET = Path.of("/run/gantry/gantry.sock");
    public static final String DEFAULT_GROUP = "gantry";
    /** Create bodies are a few KiB; 4 MiB leaves room for huge label sets and still bounds memory. */
    public static final long DEFAULT_MAX_JSON_BODY = 4L << 20;

    public ServerOptions {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(engineVersion, "engineVersion");
        if (maxJsonBody <= 0) {
            throw new IllegalArgumentException("maxJsonBody must be positive: " + maxJsonBody);
        }
    }

    public static ServerOptions defaults(String engineVersion) {
        return new ServerOptions(DEFAULT_SOCKET, DEFAULT_GROUP, DEFAULT_MAX_JSON_BODY, engineVersion);
    }

    public ServerOptions withSocket(Path path) {
        return new ServerOptions(path, socketGroup, maxJsonBody, engineVersion);
    }

    public ServerOptions withMaxJsonBody(long bytes) {
        return new ServerOptions(socket, socketGroup, bytes, engineVersion);
    }
}
