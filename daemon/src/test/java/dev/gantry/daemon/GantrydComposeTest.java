package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.RequiresRoot;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Debian's docker-compose (1.29, docker-py) against gantryd: a two-service project on its own
 * network, where the client reaches the server by its service name through the daemon's DNS
 * server and the server's port is published on the host.
 */
@RequiresRoot
@EnabledIf("composeInstalled")
class GantrydComposeTest {
    private static final String COMPOSE = "/usr/bin/docker-compose";

    static boolean composeInstalled() {
        // CI installs docker-compose (scripts/common.sh): there, never hide this test.
        return GantrydDockerCliTest.launcherBuilt() && ("true".equals(System.getenv("CI")) || Files.isExecutable(Path.of(COMPOSE)));
    }

    private static GantrydNetworkTest.Out compose(GantrydProcess d, Path project, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(COMPOSE));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", "unix://" + d.socket);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return new GantrydNetworkTest.Out(p.exitValue(), out);
    }

    @Test
    void aTwoServiceProjectReachesItsServiceByNameAndPublishesAPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (GantrydProcess d = new GantrydProcess(Path.of(System.getProperty("gantryd.launcher")),
                Files.createTempDirectory("gantryd-compose-"),
                List.of("--bip", "10." + GantrydNetworkTest.OCTET + ".110.0/24"))) {
            d.importBusybox("/usr/bin/docker", "busybox:it");
            Path project = Files.createDirectories(d.dir.resolve("project"));
            Files.writeString(project.resolve("docker-compose.yml"), """
                    version: "3"
                    services:
                      web:
                        image: busybox:it
                        command: httpd -f -p 80 -h /etc
                        ports:
                          - "%d:80"
                      client:
                        image: busybox:it
                        command: sh -c 'until wget -qO- http://web/hostname; do sleep 0.2; done; echo reached-web; sleep 300'
                        depends_on: [web]
                    networks:
                      default:
                        ipam:
                          config:
                            - subnet: 10.%d.111.0/24
                    """.formatted(port, GantrydNetworkTest.OCTET));
            String name = "gtc" + Long.toHexString(System.nanoTime() & 0xffffff);
            try {
                var up = compose(d, project, "-p", name, "up", "-d");
                assertThat(up.exitCode()).as(up.stdout()).isZero();
                String logs = "";
                for (int i = 0; i < 50 && !logs.contains("reached-web"); i++) {
                    Thread.sleep(200);
                    logs = compose(d, project, "-p", name, "logs", "client").stdout();
                }
                assertThat(logs).contains("reached-web");
                String webHostname = d.ok("/usr/bin/docker", "inspect", "--format", "{{.Config.Hostname}}", name + "_web_1").trim();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/hostname")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.body().trim()).isEqualTo(webHostname);
            } finally {
                var down = compose(d, project, "-p", name, "down", "-t", "1");
                assertThat(down.exitCode()).as(down.stdout()).isZero();
            }
            assertThat(d.ok("/usr/bin/docker", "network", "ls", "--format", "{{.Name}}")).doesNotContain(name);
            GantrydNetworkTest.eventually(() -> assertThat(GantrydNetworkTest.veths(d.bridge)).isEmpty());
        }
    }
}
