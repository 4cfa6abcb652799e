package dev.gantry.api.docker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.docker.ApiBackends;
import dev.gantry.api.docker.DockerApiServer;
import dev.gantry.api.docker.TestServers;
import dev.gantry.api.docker.backend.ContainerApi;
import dev.gantry.api.docker.backend.ExecApi;
import dev.gantry.api.docker.backend.ImageApi;
import dev.gantry.api.docker.backend.Sink;
import dev.gantry.api.docker.backend.SystemApi;
import dev.gantry.api.docker.backend.VolumeApi;
import dev.gantry.api.docker.http.ApiVersion;
import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Request;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.json.Json;
import dev.gantry.api.docker.model.ExecInspect;
import dev.gantry.api.docker.model.IdResponse;
import dev.gantry.api.docker.model.ProgressMessage;
import dev.gantry.api.docker.model.Volume;
import dev.gantry.api.docker.model.VolumeCreateRequest;
import dev.gantry.base.GantryException;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The route table binds every endpoint issue 5 lists, and the route handlers translate as Docker does. */
class RouteTableTest {
    /** A backend whose every method records its name and arguments and answers through {@code answer}. */
    interface Answer {
        Object answer(String method, Object[] args) throws Throwable;
    }

    final List<String> calls = new ArrayList<>();

    <T> T backend(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("toString") ? type.getSimpleName() : m.invoke(this, args);
            }
            calls.add(m.getName());
            return answer.answer(m.getName(), args == null ? new Object[0] : args);
        }));
    }

    Router router(Answer answer) {
        return DockerApiServer.routes(ApiBackends.of(TestServers.hostInfo())
                .withSystem(backend(SystemApi.class, answer))
                .withContainers(backend(ContainerApi.class, answer))
                .withExec(backend(ExecApi.class, answer))
                .withImages(backend(ImageApi.class, answer))
                .withVolumes(backend(VolumeApi.class, answer)), TestServers.VERSION);
    }

    static Request request(String method, String path, Map<String, List<String>> query, Map<String, String> headers, String body) {
        return new Request(method, path, ApiVersion.MAX, query, headers::get,
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 1 << 20);
    }

    @Test
    void everyEndpointOfTheIssueIsRouted() {
        List<String> routes = router((m, a) -> null).describe();
        assertThat(routes).contains(
                "GET /_ping", "HEAD /_ping", "GET /version", "GET /info", "GET /system/df", "GET /events", "POST /auth",
                "POST /containers/create", "GET /containers/json", "GET /containers/{id}/json", "GET /containers/{id}/top",
                "GET /containers/{id}/logs", "GET /containers/{id}/changes", "GET /containers/{id}/export", "GET /containers/{id}/stats",
                "POST /containers/{id}/resize", "POST /containers/{id}/start", "POST /containers/{id}/stop", "POST /containers/{id}/restart",
                "POST /containers/{id}/kill", "POST /containers/{id}/update", "POST /containers/{id}/rename", "POST /containers/{id}/pause",
                "POST /containers/{id}/unpause", "POST /containers/{id}/attach", "POST /containers/{id}/wait", "DELETE /containers/{id}",
                "HEAD /containers/{id}/archive", "GET /containers/{id}/archive", "PUT /containers/{id}/archive", "POST /containers/prune",
                "POST /containers/{id}/exec", "POST /exec/{id}/start", "POST /exec/{id}/resize", "GET /exec/{id}/json",
                "GET /images/json", "POST /images/create", "GET /images/{name*}/json", "GET /images/{name*}/history",
                "POST /images/{name*}/push", "POST /images/{name*}/tag", "DELETE /images/{name*}", "GET /images/search",
                "POST /images/prune", "GET /images/get", "GET /images/{name*}/get", "POST /images/load", "POST /commit",
                "GET /volumes", "POST /volumes/create", "GET /volumes/{name}", "DELETE /volumes/{name}", "POST /volumes/prune",
                "GET /networks", "GET /networks/{id}", "POST /networks/create");
    }

    @Test
    void pullFailingBeforeProgressIsAPlainErrorStatus() {
        Router router = router((m, a) -> {
            throw GantryException.notFound("manifest for busybox:nope not found");
        });
        Reply reply = router.dispatch(request("POST", "/images/create", Map.of("fromImage", List.of("busybox"), "tag", List.of("nope")),
                Map.of(), ""));
        // Nothing was written, so the failure leaves the writer and the transport renders it as a status.
        assertThat(reply).isInstanceOf(Reply.Streamed.class);
        assertThatThrownBy(() -> RecordingStreams.run((Reply.Streamed) reply))
                .isInstanceOf(GantryException.class)
                .hasMessage("manifest for busybox:nope not found");
        assertThat(calls).containsExactly("pull");
    }

    @Test
    void imageListComputesSharedSizesOnlyWhenAskedTo() {
        var seen = new ArrayList<Object>();
        Router router = router((m, a) -> {
            seen.add(m + " shared-size=" + a[3]);
            return List.of();
        });
        router.dispatch(request("GET", "/images/json", Map.of(), Map.of(), ""));
        router.dispatch(request("GET", "/images/json", Map.of("shared-size", List.of("1")), Map.of(), ""));
        router.dispatch(request("GET", "/images/json", Map.of("shared-size", List.of("true")), Map.of(), ""));
        assertThat(seen).containsExactly("list shared-size=false", "list shared-size=true", "list shared-size=true");
    }

    @Test
    void pullCarriesTagPlatformAndRegistryAuth() throws Exception {
        var seen = new ArrayList<Object>();
        Router router = router((m, a) -> {
            seen.add(a[0]);
            @SuppressWarnings("unchecked")
            Sink<ProgressMessage> progress = (Sink<ProgressMessage>) a[1];
            progress.accept(ProgressMessage.status("latest", "Pulling from library/busybox"));
            return null;
        });
        String auth = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"username\":\"u\",\"password\":\"p\",\"serveraddress\":\"127.0.0.1:5000\"}".getBytes(StandardCharsets.UTF_8));
        Reply reply = router.dispatch(request("POST", "/images/create",
                Map.of("fromImage", List.of("127.0.0.1:5000/busybox"), "tag", List.of("1.36"), "platform", List.of("linux/amd64")),
                Map.of("X-Registry-Auth", auth), ""));
        assertThat(reply).isInstanceOf(Reply.Streamed.class);
        var out = RecordingStreams.run((Reply.Streamed) reply);
        assertThat(out).contains("\"status\":\"Pulling from library/busybox\"");
        assertThat(seen.getFirst()).hasToString(
                "PullRequest[image=127.0.0.1:5000/busybox, tag=1.36, platform=linux/amd64, auth=AuthConfig[username=u, serverAddress=127.0.0.1:5000]]");
    }

    @Test
    void pullFailingHalfWayEndsWithAnErrorMessage() throws Exception {
        Router router = router((m, a) -> {
            @SuppressWarnings("unchecked")
            Sink<ProgressMessage> progress = (Sink<ProgressMessage>) a[1];
            progress.accept(ProgressMessage.status("abc", "Downloading"));
            throw new GantryException(dev.gantry.base.ErrorKind.UNAVAILABLE, "registry 127.0.0.1:5000 closed the connection");
        });
        var reply = (Reply.Streamed) router.dispatch(request("POST", "/images/create", Map.of("fromImage", List.of("busybox")), Map.of(), ""));
        String out = RecordingStreams.run(reply);
        String last = out.lines().reduce((a, b) -> b).orElseThrow();
        JsonNode msg = Json.read(last, JsonNode.class);
        assertThat(msg.get("error").asText()).isEqualTo("registry 127.0.0.1:5000 closed the connection");
    }

    @Test
    void importOnlyTakesTheRequestBody() {
        Router router = router((m, a) -> null);
        Reply.Full r = (Reply.Full) router.dispatch(request("POST", "/images/create", Map.of("fromSrc", List.of("http://x/y.tar")), Map.of(), ""));
        assertThat(r.status()).isEqualTo(400);
        Reply.Full none = (Reply.Full) router.dispatch(request("POST", "/images/create", Map.of(), Map.of(), ""));
        assertThat(none.status()).isEqualTo(400);
    }

    @Test
    void execCreateNeedsACommandAndDetachedStartDoesNotHijack() {
        Router router = router((m, a) -> switch (m) {
            case "create" -> new IdResponse("e1");
            case "inspect" -> new ExecInspect(false, "c", "", null, "e1", false, false, true,
                    new ExecInspect.ProcessConfig(List.of(), "sh", false, true, ""), false, 0);
            default -> null;
        });
        Reply.Full empty = (Reply.Full) router.dispatch(request("POST", "/containers/web/exec", Map.of(), Map.of(), "{\"Cmd\":null}"));
        assertThat(empty.status()).isEqualTo(400);
        Reply.Full created = (Reply.Full) router.dispatch(request("POST", "/containers/web/exec", Map.of(), Map.of(), "{\"Cmd\":[\"ls\"]}"));
        assertThat(created.status()).isEqualTo(201);
        Reply detached = router.dispatch(request("POST", "/exec/e1/start", Map.of(), Map.of(), "{\"Detach\":true}"));
        assertThat(((Reply.Full) detached).status()).isEqualTo(200);
        assertThat(calls).contains("startDetached");
        Reply attached = router.dispatch(request("POST", "/exec/e1/start", Map.of(), Map.of("Content-Type", "application/json"),
                "{\"Detach\":false,\"Tty\":true}"));
        assertThat(attached).isInstanceOf(Reply.Hijacked.class);
        assertThat(((Reply.Hijacked) attached).contentType()).isEqualTo(Reply.RAW_STREAM);
    }

    @Test
    void volumeCreateWithoutBodyAsksForAGeneratedName() {
        var seen = new ArrayList<Object>();
        Router router = router((m, a) -> {
            seen.add(a.length > 0 ? a[0] : null);
            return new Volume("v1", "local", "/var/lib/gantry/volumes/v1/_data", "2024-01-01T00:00:00Z", null, Map.of(), "local", Map.of(), null);
        });
        Reply.Full r = (Reply.Full) router.dispatch(request("POST", "/volumes/create", Map.of(), Map.of(), ""));
        assertThat(r.status()).isEqualTo(201);
        assertThat(seen.getFirst()).isEqualTo(new VolumeCreateRequest(null, null, null, null));
        Reply.Full badFilter = (Reply.Full) router.dispatch(request("GET", "/volumes", Map.of("filters", List.of("{\"x\":[\"1\"]}")), Map.of(), ""));
        assertThat(badFilter.status()).isEqualTo(400);
    }

    @Test
    void wrongContentTypeForJsonBodiesIsRefused() {
        Router router = router((m, a) -> null);
        Reply.Full r = (Reply.Full) router.dispatch(request("POST", "/containers/create", Map.of(), Map.of("Content-Type", "text/plain"),
                "{\"Image\":\"busybox\"}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("unsupported Content-Type header (text/plain)");
    }
}
