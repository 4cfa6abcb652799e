package dev.gantry.api.docker;

import dev.gantry.api.docker.http.ApiVersion;
import dev.gantry.api.docker.http.RequestActivity;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.http.UnixSocketHttpServer;
import dev.gantry.api.docker.routes.BuiltinNetworks;
import dev.gantry.api.docker.routes.NetworkRoutes;
import dev.gantry.api.docker.routes.ContainerRoutes;
import dev.gantry.api.docker.routes.ExecRoutes;
import dev.gantry.api.docker.routes.ImageRoutes;
import dev.gantry.api.docker.routes.SystemApiRoutes;
import dev.gantry.api.docker.routes.SystemRoutes;
import dev.gantry.api.docker.routes.VolumeRoutes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The Docker Engine API server: the route table over {@link ApiBackends}, served on a unix
 * socket. {@code gantryd} builds one with the engine's implementations:
 * <pre>{@code
 * try (var server = DockerApiServer.start(ServerOptions.defaults("0.1.0"),
 *         ApiBackends.of(hostInfo).withContainers(engine.containers()).withImages(...))) {
 *     ... run until shutdown ...
 * }
 * }</pre>
 */
public final class DockerApiServer implements AutoCloseable {
    private final UnixSocketHttpServer http;

    private DockerApiServer(UnixSocketHttpServer http) {
        this.http = http;
    }

    /** Binds the socket and serves until {@link #close()}. */
    public static DockerApiServer start(ServerOptions options, ApiBackends backends) {
        Router router = routes(backends, options.engineVersion());
        var common = Map.of(
                "Api-Version", ApiVersion.MAX.toString(),
                "Docker-Experimental", "false",
                "Ostype", "linux",
                "Server", "Docker/" + options.engineVersion() + " (linux)");
        var http = UnixSocketHttpServer.start(options.socket(), options.socketGroup(), router, options.maxJsonBody(), common);
        return new DockerApiServer(http);
    }

    /** The route table for the given backends (also what tests dispatch to without a socket). */
    public static Router routes(ApiBackends backends, String engineVersion) {
        Router router = new Router();
        new SystemRoutes(backends.info(), engineVersion).register(router);
        backends.system().ifPresent(s -> new SystemApiRoutes(s).register(router));
        backends.exec().ifPresent(e -> new ExecRoutes(e).register(router));
        backends.containers().ifPresent(c -> new ContainerRoutes(c).register(router));
        backends.images().ifPresent(i -> new ImageRoutes(i).register(router));
        backends.volumes().ifPresent(v -> new VolumeRoutes(v).register(router));
        backends.networks().ifPresentOrElse(n -> new NetworkRoutes(n).register(router),
                () -> new BuiltinNetworks(Instant.now()).register(router));
        return router;
    }

    public Path socket() {
        return http.socket();
    }

    /** The requests served so far and those in flight (streams and hijacked sessions included). */
    public RequestActivity activity() {
        return http.activity();
    }

    @Override
    public void close() {
        http.close();
    }
}
