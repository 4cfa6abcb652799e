package dev.gantry.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (CNCF distribution) on 127.0.0.1 and a free port, storing into a
 * directory of the test's with deletes enabled; ready once it answers {@code GET /v2/}; stopped
 * by its pid on {@link #close}.
 */
public final class LocalRegistry implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a registry in {@code dir} (created if missing); {@code authYaml} is the config's "auth:" section, or empty. */
    public static LocalRegistry start(Path dir, String authYaml) throws IOException, InterruptedException {
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
        LocalRegistry registry = new LocalRegistry(p, port);
        registry.awaitReady(dir);
        return registry;
    }

    /**
     * Writes {@code dir/htpasswd} with one bcrypt entry (htpasswd(1), Debian's apache2-utils) and
     * returns the "auth:" section that makes a registry demand it with Basic auth.
     */
    public static String htpasswdAuth(Path dir, String user, String password) throws IOException, InterruptedException {
        Process h = new ProcessBuilder("htpasswd", "-Bbn", user, password).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit = h.waitFor();
        if (exit != 0) {
            throw new AssertionError("htpasswd (Debian's apache2-utils) exited " + exit);
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, line + "\n");
        return "auth:\n  htpasswd:\n    realm: gantry-test\n    path: " + file + "\n";
    }

    /** A TCP port free on the loopback address now (the kernel's pick). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * Waits until the registry answers; stops it when it does not, or when the wait ends early
     * (interrupted, say), so that no registry outlives a failed start.
     */
    private void awaitReady(Path dir) throws IOException, InterruptedException {
        boolean ready = false;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!ready && process.isAlive() && System.nanoTime() < deadline) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
                    ready = true;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
        } finally {
            if (!ready) {
                close();
            }
        }
        if (!ready) {
            throw new IllegalStateException("docker-registry did not start on " + host() + ": " + Files.readString(dir.resolve("registry.log")));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
