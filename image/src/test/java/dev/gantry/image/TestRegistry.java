package dev.gantry.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (CNCF distribution) on 127.0.0.1 and a free port, storing into a
 * temporary directory; stopped by its pid on close.
 */
final class TestRegistry implements AutoCloseable {
    private final Process process;
    private final int port;

    private TestRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a registry; {@code authYaml} is the config's "auth:" section or empty. */
    static TestRegistry start(Path dir, String authYaml) throws Exception {
        int port = freePort();
        Files.createDirectories(dir.resolve("storage"));
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: %s
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:%d
            %s
            """.formatted(dir.resolve("storage"), port, authYaml));
        Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        TestRegistry r = new TestRegistry(p, port);
        r.awaitReady(dir);
        return r;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    private void awaitReady(Path dir) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("docker-registry did not start on " + host());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
