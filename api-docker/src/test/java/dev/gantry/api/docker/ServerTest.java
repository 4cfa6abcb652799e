package dev.gantry.api.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.docker.json.Json;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over a real unix socket: negotiation, errors, limits, streams, hijack, socket file. */
class ServerTest {
    @TempDir
    Path dir;

    FakeContainers containers = new FakeContainers();
    FakeSystem system = new FakeSystem();
    DockerApiServer server;

    @BeforeEach
    void start() {
        server = DockerApiServer.start(TestServers.options(dir),
                ApiBackends.of(TestServers.hostInfo()).withContainers(containers).withSystem(system));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    UnixHttpClient client() throws IOException {
        return new UnixHttpClient(server.socket());
    }

    @Test
    void pingAnswersOkWithNegotiationHeadersForGetAndHead() throws IOException {
        try (var c = client()) {
            var get = c.send("GET", "/_ping");
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.text()).isEqualTo("OK");
            assertThat(get.header("Api-Version")).isEqualTo("1.47");
            assertThat(get.header("Docker-Experimental")).isEqualTo("false");
            assertThat(get.header("Ostype")).isEqualTo("linux");
            assertThat(get.header("Builder-Version")).isEqualTo("1");
            assertThat(get.header("Cache-Control")).isEqualTo("no-cache, no-store, must-revalidate");
            assertThat(get.header("Pragma")).isEqualTo("no-cache");
            var head = c.send("HEAD", "/_ping");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Api-Version")).isEqualTo("1.47");
            // Keep-alive: the same connection still serves.
            assertThat(c.send("GET", "/v1.41/_ping").text()).isEqualTo("OK");
        }
    }

    @Test
    void anErrorUnderARouteIsA500AndTheServerGoesOnServing() throws IOException {
        containers.listFault = new NoClassDefFoundError("dev/gantry/Vanished");
        try (var c = client()) {
            var r = c.send("GET", "/containers/json");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.text()).isEqualTo("{\"message\":\"dev/gantry/Vanished\"}");
        }
        containers.listFault = null;
        try (var c = client()) {
            assertThat(c.send("GET", "/containers/json").status()).isEqualTo(200);
        }
    }

    @Test
    void versionReportsApiRangeAndEngineComponent() throws IOException {
        try (var c = client()) {
            JsonNode v = Json.read(c.send("GET", "/version").text(), JsonNode.class);
            assertThat(v.get("ApiVersion").asText()).isEqualTo("1.47");
            assertThat(v.get("MinAPIVersion").asText()).isEqualTo("1.24");
            assertThat(v.get("Os").asText()).isEqualTo("linux");
            assertThat(v.get("Arch").asText()).isEqualTo("amd64");
            assertThat(v.get("KernelVersion").asText()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
            assertThat(v.get("Components").get(0).get("Name").asText()).isEqualTo("Engine");
            assertThat(v.get("Version").asText()).isEqualTo(TestServers.VERSION);
        }
    }

    @Test
    void versionsOutsideTheRangeAreRefusedWithDockersWords() throws IOException {
        try (var c = client()) {
            var tooNew = c.send("GET", "/v1.99/_ping");
            assertThat(tooNew.status()).isEqualTo(400);
            assertThat(message(tooNew)).isEqualTo("client version 1.99 is too new. Maximum supported API version is 1.47");
            var tooOld = c.send("GET", "/v1.12/containers/json");
            assertThat(tooOld.status()).isEqualTo(400);
            assertThat(message(tooOld)).startsWith("client version 1.12 is too old. Minimum supported API version is 1.24");
        }
    }

    @Test
    void unknownRouteIsPageNotFound() throws IOException {
        try (var c = client()) {
            var r = c.send("GET", "/v1.41/nonsense/here");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(message(r)).isEqualTo("page not found");
        }
    }

    @Test
    void gantryErrorsBecomeDockerStatusCodes() throws IOException {
        try (var c = client()) {
            var missing = c.send("GET", "/v1.41/containers/nope/json");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(message(missing)).isEqualTo("No such container: nope");
            var conflict = c.send("POST", "/v1.41/containers/web/kill");
            assertThat(conflict.status()).isEqualTo(409);
            var notModified = c.send("POST", "/v1.41/containers/web/start");
            assertThat(notModified.status()).isEqualTo(304);
            var started = c.send("POST", "/v1.41/containers/echo1/start");
            assertThat(started.status()).isEqualTo(204);
        }
    }

    @Test
    void malformedJsonIsA400NamingTheProblem() throws IOException {
        try (var c = client()) {
            var r = c.send("POST", "/v1.41/containers/create", Map.of("Content-Type", "application/json"),
                    "{\"Image\": \"busybox\", ".getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(400);
            assertThat(message(r)).startsWith("malformed JSON");
            var typed = c.send("POST", "/v1.41/containers/create", Map.of("Content-Type", "application/json"),
                    "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":\"lots\"}}".getBytes(StandardCharsets.UTF_8));
            assertThat(typed.status()).isEqualTo(400);
            assertThat(message(typed)).startsWith("invalid JSON for field HostConfig.Memory");
            assertThat(containers.created).isEmpty();
        }
    }

    @Test
    void bodyOverTheLimitIs413AndTheServerCarriesOn() throws IOException {
        byte[] big = ("{\"Image\":\"" + "x".repeat(10_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (var c = client()) {
            var r = c.send("POST", "/v1.41/containers/create", Map.of("Content-Type", "application/json"), big);
            assertThat(r.status()).isEqualTo(413);
            assertThat(message(r)).contains("larger than the limit of 4096 bytes");
        }
        try (var c = client()) {
            assertThat(c.send("GET", "/_ping").status()).isEqualTo(200);
        }
    }

    @Test
    void anEarlyAnswerSkipsTheUnreadBodyAndKeepsTheConnection() throws IOException {
        try (var c = client()) {
            byte[] body = "{\"Name\":\"mynet\"}".getBytes(StandardCharsets.UTF_8);
            c.sendHead("POST", "/v1.41/networks/create", Map.of("Content-Type", "application/json", "Content-Length", "" + body.length), null);
            var r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(503);
            c.output().write(body);
            c.output().flush();
            assertThat(c.send("GET", "/_ping").text()).isEqualTo("OK");
        }
    }

    @Test
    void createAcceptsDockerJavaStyleBody() throws IOException {
        String body = """
                {"Hostname":null,"Image":"busybox","Cmd":["echo","hi"],"Entrypoint":null,"Env":null,"Tty":false,
                 "SomethingNew":{"x":1},"HostConfig":{"Memory":null,"Binds":["/a:/b:ro"],"RestartPolicy":{"Name":"","MaximumRetryCount":0}},
                 "NetworkingConfig":null}""";
        try (var c = client()) {
            var r = c.send("POST", "/v1.44/containers/create?name=app_1", Map.of("Content-Type", "application/json"),
                    body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(201);
            assertThat(Json.read(r.text(), JsonNode.class).get("Id").asText()).isEqualTo(FakeContainers.WEB_ID);
            var bad = c.send("POST", "/v1.44/containers/create?name=-x", Map.of("Content-Type", "application/json"),
                    body.getBytes(StandardCharsets.UTF_8));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(message(bad)).startsWith("Invalid container name (-x)");
        }
        assertThat(containers.created).hasSize(1);
        var created = containers.created.getFirst();
        assertThat(created.config().image()).isEqualTo("busybox");
        assertThat(created.config().cmd()).containsExactly("echo", "hi");
        assertThat(created.hostConfig().binds()).containsExactly("/a:/b:ro");
        assertThat(created.networkingConfig()).isNull();
    }

    @Test
    void listPassesQueryAndFilters() throws IOException {
        try (var c = client()) {
            var r = c.send("GET", "/v1.41/containers/json?all=1&filters=%7B%22status%22%3A%7B%22exited%22%3Atrue%7D%7D");
            assertThat(r.status()).isEqualTo(200);
            JsonNode list = Json.read(r.text(), JsonNode.class);
            assertThat(list).hasSize(1);
            assertThat(list.get(0).get("Names").get(0).asText()).isEqualTo("/db");
            var bad = c.send("GET", "/v1.41/containers/json?filters=%7B%22colour%22%3A%5B%22red%22%5D%7D");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(message(bad)).isEqualTo("invalid filter 'colour'");
        }
        assertThat(containers.listQueries.getFirst().all()).isTrue();
    }

    @Test
    void eventsStreamInChunksAndAClientLeavingMidStreamEndsTheProducer() throws Exception {
        try (var c = client()) {
            c.sendHead("GET", "/v1.41/events", Map.of(), null);
            var head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            var lines = new StringBuilder();
            while (lines.toString().split("\n").length < 3 || !lines.toString().endsWith("\n")) {
                lines.append(new String(c.readChunk(), StandardCharsets.UTF_8));
            }
            JsonNode first = Json.read(lines.toString().split("\n")[0], JsonNode.class);
            assertThat(first.get("Type").asText()).isEqualTo("container");
            assertThat(first.get("Action").asText()).isEqualTo("start");
            assertThat(first.get("Actor").get("ID").asText()).isEqualTo("c0");
            assertThat(first.get("timeNano").asLong()).isEqualTo(1_700_000_000_000_000_000L);
        }
        assertThat(system.eventsEnded.await(5, TimeUnit.SECONDS)).as("producer interrupted after disconnect").isTrue();
        try (var c = client()) {
            assertThat(c.send("GET", "/_ping").status()).isEqualTo(200);
        }
    }

    @Test
    void logsAreMultiplexedWithoutTtyAndInterruptedOnDisconnect() throws Exception {
        try (var c = client()) {
            c.sendHead("GET", "/v1.43/containers/web/logs?stdout=1&stderr=1&follow=1", Map.of(), null);
            var head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.multiplexed-stream");
            var data = new java.io.ByteArrayOutputStream();
            while (data.size() < 34) {
                data.write(c.readChunk());
            }
            byte[] b = data.toByteArray();
            assertThat(b[0]).isEqualTo((byte) 1);
            assertThat(new String(b, 8, 9, StandardCharsets.UTF_8)).isEqualTo("out line\n");
            assertThat(b[17]).isEqualTo((byte) 2);
            assertThat(new String(b, 25, 9, StandardCharsets.UTF_8)).isEqualTo("err line\n");
        }
        assertThat(containers.logsInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aStreamThatFailsBeforeWritingGetsAProperStatus() throws IOException {
        try (var c = client()) {
            var r = c.send("GET", "/v1.41/containers/web/stats?stream=0");
            assertThat(r.status()).isEqualTo(409);
            assertThat(message(r)).isEqualTo("container web is not running");
            assertThat(c.send("GET", "/_ping").status()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatStopsReadingHoldsBackTheProducerAndLeavingStopsIt() throws Exception {
        try (var c = client()) {
            c.sendHead("GET", "/v1.41/containers/web/export", Map.of(), null);
            assertThat(c.readHead().header("Content-Type")).isEqualTo("application/x-tar");
            Thread.sleep(500);
            long stalled = containers.exportedBytes.get();
            Thread.sleep(500);
            // Back-pressure: with nobody reading, the producer is parked, not filling the heap.
            assertThat(containers.exportedBytes.get() - stalled).isLessThan(4L << 20);
            assertThat(containers.exportedBytes.get()).isLessThan(64L << 20);
        }
        assertThat(containers.exportFailed.await(5, TimeUnit.SECONDS)).as("export stopped by the disconnect").isTrue();
        try (var c = client()) {
            assertThat(c.send("GET", "/_ping").status()).isEqualTo(200);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (var c = client()) {
            c.output().write(("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\nGET /v1.41/containers/nope/json HTTP/1.1\r\nHost: d\r\n\r\n"
                    + "GET /version HTTP/1.1\r\nHost: d\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            c.output().flush();
            assertThat(c.readResponse(false).text()).isEqualTo("OK");
            assertThat(c.readResponse(false).status()).isEqualTo(404);
            assertThat(c.readResponse(false).text()).contains("\"ApiVersion\":\"1.47\"");
        }
    }

    @Test
    void manyClientsAtOnceAreAllServed() throws Exception {
        var ok = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 64; i++) {
                pool.submit(() -> {
                    try (var c = client()) {
                        for (int j = 0; j < 20; j++) {
                            if (c.send("GET", "/v1.41/containers/json").status() == 200) {
                                ok.incrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
        }
        assertThat(ok.get()).isEqualTo(64 * 20);
    }

    @Test
    void logsNeedAStream() throws IOException {
        try (var c = client()) {
            var r = c.send("GET", "/containers/web/logs");
            assertThat(r.status()).isEqualTo(400);
            assertThat(message(r)).isEqualTo("Bad parameters: you must choose at least one stream");
        }
    }

    @Test
    void attachWithUpgradeIs101AndEchoesBothWays() throws IOException {
        try (var c = client()) {
            c.sendHead("POST", "/v1.47/containers/tty1/attach?stream=1&stdin=1&stdout=1",
                    Map.of("Connection", "Upgrade", "Upgrade", "tcp"), null);
            var head = c.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.reason()).isEqualTo("UPGRADED");
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            assertThat(head.header("Upgrade")).isEqualTo("tcp");
            c.output().write("hello\n".getBytes(StandardCharsets.UTF_8));
            c.output().flush();
            assertThat(new String(c.input().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("hello\n");
            c.output().write("again\n".getBytes(StandardCharsets.UTF_8));
            c.output().flush();
            assertThat(new String(c.input().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("again\n");
            // stdin EOF ends the session: the server half-closes back, we read end-of-stream.
            c.shutdownOutput();
            assertThat(c.input().read()).isEqualTo(-1);
        }
    }

    /**
     * The docker CLI half-closes at once when it has no stdin to send; a client that then reads
     * slower than the container writes still gets every byte (Netty 4.2.18's epoll transport
     * used to drop such a connection from its epoll set and shut its output down).
     */
    @Test
    void aHalfClosedSlowReaderGetsAllOfAnAttachsOutput() throws Exception {
        try (var c = client()) {
            c.sendHead("POST", "/v1.41/containers/big1/attach?stream=1&stdout=1&stderr=1",
                    Map.of("Connection", "Upgrade", "Upgrade", "tcp"), null);
            assertThat(c.readHead().status()).isEqualTo(101);
            c.shutdownOutput();
            // Long enough for the server to fill the socket and wait for room to write.
            Thread.sleep(1_000);
            long payload = 0;
            java.io.DataInputStream in = new java.io.DataInputStream(c.input());
            byte[] header = new byte[8];
            while (in.read(header, 0, 1) == 1) {
                in.readFully(header, 1, 7);
                int len = java.nio.ByteBuffer.wrap(header, 4, 4).getInt();
                in.skipNBytes(len);
                payload += len;
            }
            assertThat(payload).isEqualTo(FakeContainers.BIG_OUTPUT);
        }
    }

    /** What the daemon's idle collector reads: a stream or a hijacked session is in flight until it ends. */
    @Test
    void streamsAndHijackedSessionsCountAsInFlightUntilTheyEnd() throws Exception {
        var activity = server.activity();
        long before = activity.changes();
        try (var c = client()) {
            assertThat(c.send("GET", "/_ping").status()).isEqualTo(200);
        }
        awaitInFlight(0);
        assertThat(activity.changes()).as("one request started and finished").isEqualTo(before + 2);
        try (var events = client()) {
            events.sendHead("GET", "/v1.41/events", Map.of(), null);
            assertThat(events.readHead().status()).isEqualTo(200);
            assertThat(activity.inFlight()).isEqualTo(1);
            try (var attach = client()) {
                attach.sendHead("POST", "/v1.47/containers/tty1/attach?stream=1&stdin=1&stdout=1",
                        Map.of("Connection", "Upgrade", "Upgrade", "tcp"), null);
                assertThat(attach.readHead().status()).isEqualTo(101);
                assertThat(activity.inFlight()).isEqualTo(2);
                attach.shutdownOutput();
                assertThat(attach.input().read()).isEqualTo(-1);
            }
            awaitInFlight(1);
        }
        awaitInFlight(0);
        assertThat(activity.changes()).isEqualTo(before + 6);
    }

    /** A request counts as finished just after its response is queued, so a client can read it first. */
    private void awaitInFlight(long expected) throws InterruptedException {
        for (int i = 0; i < 500 && server.activity().inFlight() != expected; i++) {
            Thread.sleep(10);
        }
        assertThat(server.activity().inFlight()).isEqualTo(expected);
    }

    @Test
    void attachWithoutUpgradeIsAPlain200RawStreamMultiplexedWithoutTty() throws IOException {
        try (var c = client()) {
            c.sendHead("POST", "/v1.41/containers/echo1/attach?stream=1&stdin=1&stdout=1", Map.of(), null);
            var head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            c.output().write("abc".getBytes(StandardCharsets.UTF_8));
            c.output().flush();
            byte[] frame = c.input().readNBytes(11);
            assertThat(frame).containsExactly(1, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c');
            c.shutdownOutput();
            assertThat(c.input().read()).isEqualTo(-1);
        }
    }

    @Test
    void waitSendsHeadersBeforeTheResult() throws IOException {
        try (var c = client()) {
            var r = c.send("POST", "/v1.41/containers/web/wait?condition=next-exit");
            assertThat(r.status()).isEqualTo(200);
            assertThat(Json.read(r.text(), JsonNode.class).get("StatusCode").asLong()).isEqualTo(3);
            var bad = c.send("POST", "/v1.41/containers/web/wait?condition=sometime");
            assertThat(bad.status()).isEqualTo(400);
        }
    }

    @Test
    void archiveHeadCarriesThePathStatHeader() throws IOException {
        try (var c = client()) {
            var r = c.send("HEAD", "/v1.41/containers/web/archive?path=/etc/hosts");
            assertThat(r.status()).isEqualTo(200);
            String json = new String(java.util.Base64.getDecoder().decode(r.header("X-Docker-Container-Path-Stat")), StandardCharsets.UTF_8);
            assertThat(Json.read(json, JsonNode.class).get("name").asText()).isEqualTo("hosts");
        }
    }

    @Test
    void builtinNetworksAreListedAndCreatingOneIsRefused() throws IOException {
        try (var c = client()) {
            JsonNode list = Json.read(c.send("GET", "/v1.41/networks").text(), JsonNode.class);
            assertThat(list.findValuesAsText("Name")).containsExactly("bridge", "host", "none");
            var none = c.send("GET", "/v1.41/networks/none");
            assertThat(Json.read(none.text(), JsonNode.class).get("Driver").asText()).isEqualTo("null");
            var create = c.send("POST", "/v1.41/networks/create", Map.of("Content-Type", "application/json"),
                    "{\"Name\":\"mynet\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(create.status()).isEqualTo(503);
            assertThat(message(create)).contains("only the built-in networks");
            assertThat(c.send("DELETE", "/v1.41/networks/host").status()).isEqualTo(403);
            assertThat(c.send("GET", "/v1.41/networks/zzz").status()).isEqualTo(404);
        }
    }

    @Test
    void authMapsRefusalTo403() throws IOException {
        try (var c = client()) {
            var r = c.send("POST", "/v1.41/auth", Map.of("Content-Type", "application/json"),
                    "{\"username\":\"u\",\"password\":\"nope\",\"serveraddress\":\"127.0.0.1:5000\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(403);
            var ok = c.send("POST", "/v1.41/auth", Map.of("Content-Type", "application/json"),
                    "{\"username\":\"u\",\"password\":\"secret\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(Json.read(ok.text(), JsonNode.class).get("Status").asText()).isEqualTo("Login Succeeded");
        }
    }

    @Test
    void routesOfAbsentBackendsDoNotExist() throws IOException {
        try (var c = client()) {
            assertThat(c.send("GET", "/v1.41/images/json").status()).isEqualTo(404);
            assertThat(c.send("GET", "/v1.41/volumes").status()).isEqualTo(404);
        }
    }

    @Test
    void socketIsGroupReadableOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket()))).isEqualTo("rw-rw----");
    }

    @Test
    void aLiveSocketIsNotTakenOverButAStaleOneIsReplaced() throws IOException {
        assertThatThrownBy(() -> DockerApiServer.start(TestServers.options(dir), ApiBackends.of(TestServers.hostInfo())))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("another server is listening");
        Path stale = dir.resolve("stale.sock");
        try (var s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(stale).exists();
        try (var second = DockerApiServer.start(TestServers.options(dir).withSocket(stale), ApiBackends.of(TestServers.hostInfo()));
             var c = new UnixHttpClient(second.socket())) {
            assertThat(c.send("GET", "/_ping").status()).isEqualTo(200);
        }
        assertThat(stale).doesNotExist();
        Path regular = Files.writeString(dir.resolve("file.sock"), "not a socket");
        assertThatThrownBy(() -> DockerApiServer.start(TestServers.options(dir).withSocket(regular), ApiBackends.of(TestServers.hostInfo())))
                .hasMessageContaining("not a socket");
        assertThat(regular).exists();
    }

    static String message(UnixHttpClient.Response r) {
        return Json.read(r.text(), JsonNode.class).get("message").asText();
    }
}
