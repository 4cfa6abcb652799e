package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command runs with: the daemon's API (connected on first use, starting gantryd first
 * when {@link DaemonStarter} may), the process's streams and environment.
 */
public final class Session implements AutoCloseable {
    /** Where gantryd listens unless {@code --host}, GANTRY_HOST or DOCKER_HOST say otherwise. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/gantry/gantry.sock");

    private final Path socket;
    private final Map<String, String> env;
    private final DaemonStarter starter;
    public final PrintStream out;
    public final PrintStream err;
    public final InputStream in;
    private ApiClient api;

    public Session(Path socket, Map<String, String> env, DaemonStarter starter, PrintStream out, PrintStream err, InputStream in) {
        this.socket = socket;
        this.env = env;
        this.starter = starter;
        this.out = out;
        this.err = err;
        this.in = in;
    }

    /**
     * The socket named by {@code --host} (when given), else GANTRY_HOST, else DOCKER_HOST,
     * else {@link #DEFAULT_SOCKET}. Only {@code unix://} addresses (or bare paths) are accepted.
     */
    public static Path socketFor(String hostFlag, Map<String, String> env) {
        String host = hostFlag;
        if (host == null || host.isEmpty()) {
            host = env.get("GANTRY_HOST");
        }
        if (host == null || host.isEmpty()) {
            host = env.get("DOCKER_HOST");
        }
        if (host == null || host.isEmpty()) {
            return DEFAULT_SOCKET;
        }
        if (host.startsWith("unix://")) {
            return Path.of(host.substring("unix://".length()));
        }
        if (host.startsWith("/")) {
            return Path.of(host);
        }
        throw new UsageException("unsupported host '" + host + "': gantryd listens on a unix socket; use unix:///path/to/gantry.sock");
    }

    public Path socket() {
        return socket;
    }

    public String env(String name) {
        return env.get(name);
    }

    /** The API client, starting gantryd first when its socket is absent or dead and {@link DaemonStarter} may start it. */
    public ApiClient api() {
        if (api == null) {
            api = new ApiClient(socket);
            // Absent, or left behind by a daemon that died (nothing accepts on it): start one.
            if (!api.connectFirst()) {
                starter.ensureRunning(socket, err);
            }
        }
        return api;
    }

    /** Whether file descriptor {@code fd} (0, 1 or 2) is a terminal: read from /proc, no native call needed. */
    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static GantryException unavailable(String message) {
        return new GantryException(ErrorKind.UNAVAILABLE, message);
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        out.flush();
        err.flush();
    }
}
