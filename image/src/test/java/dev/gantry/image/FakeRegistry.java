package dev.gantry.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.oci.image.Digest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted registry on 127.0.0.1 for failure cases a real registry will not produce:
 * content that does not match its digest, truncated transfers, odd media types, 403s.
 */
final class FakeRegistry implements AutoCloseable {
    @FunctionalInterface
    interface Route {
        void handle(HttpExchange ex) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                String range = ex.getRequestHeaders().getFirst("Range");
                requests.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
                Route r = routes.get(path);
                if (r == null) {
                    ex.sendResponseHeaders(path.equals("/v2/") ? 200 : 404, -1);
                } else {
                    r.handle(ex);
                }
            }
        });
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void route(String path, Route r) {
        routes.put(path, r);
    }

    void manifest(String repo, String reference, byte[] body, String mediaType) {
        route("/v2/" + repo + "/manifests/" + reference, ex -> send(ex, 200, body, mediaType));
    }

    /** Serves {@code body} as blob {@code d}, honouring "Range: bytes=N-" with a 206. */
    void blob(String repo, Digest d, byte[] body) {
        route("/v2/" + repo + "/blobs/" + d, ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null && range.startsWith("bytes=")) {
                int from = Integer.parseInt(range.substring(6, range.indexOf('-')));
                byte[] rest = java.util.Arrays.copyOfRange(body, from, body.length);
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                send(ex, 206, rest, "application/octet-stream");
            } else {
                send(ex, 200, body, "application/octet-stream");
            }
        });
    }

    static void send(HttpExchange ex, int status, byte[] body, String type) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
