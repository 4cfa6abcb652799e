package dev.gantry.api.docker.measure;

import dev.gantry.api.docker.ApiBackends;
import dev.gantry.api.docker.DockerApiServer;
import dev.gantry.api.docker.ServerOptions;
import dev.gantry.api.docker.TestServers;
import java.nio.file.Path;

/**
 * Serves the API (host /info only) on the socket given as the first argument until standard
 * input closes; prints "ready" once listening. Used by {@code api-docker/measure.sh} to
 * measure the server's idle memory apart from any client.
 */
public final class ServeMain {
    private ServeMain() {}

    public static void main(String[] args) throws Exception {
        var options = ServerOptions.defaults(TestServers.VERSION).withSocket(Path.of(args[0]));
        try (var server = DockerApiServer.start(options, ApiBackends.of(TestServers.hostInfo()))) {
            System.out.println("ready " + ProcessHandle.current().pid() + " " + server.socket());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
