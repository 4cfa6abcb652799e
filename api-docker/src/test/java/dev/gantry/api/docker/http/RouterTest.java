package dev.gantry.api.docker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    final Router router = new Router()
            .get("/images/json", r -> Reply.text(200, "list"))
            .get("/images/{name*}/json", r -> Reply.text(200, "inspect " + r.param("name")))
            .delete("/images/{name*}", r -> Reply.text(200, "rm " + r.param("name")))
            .get("/containers/{id}/json", r -> Reply.text(200, "container " + r.param("id") + " v" + r.version()))
            .post("/boom", r -> {
                throw new IllegalStateException("kaput");
            });

    static Request request(String method, String rawPath) {
        var split = Router.splitVersion(rawPath);
        return new Request(method, split.path(), split.effective(), Map.of(), h -> null, new ByteArrayInputStream(new byte[0]), 1024);
    }

    static String body(Reply reply) {
        return new String(((Reply.Full) reply).body(), StandardCharsets.UTF_8);
    }

    @Test
    void versionedAndUnversionedPathsReachTheSameRoute() {
        assertThat(body(router.dispatch(request("GET", "/v1.41/containers/abc/json")))).isEqualTo("container abc v1.41");
        assertThat(body(router.dispatch(request("GET", "/containers/abc/json")))).isEqualTo("container abc v" + ApiVersion.MAX);
        assertThat(body(router.dispatch(request("GET", "/containers/abc/json/")))).isEqualTo("container abc v" + ApiVersion.MAX);
    }

    @Test
    void imageNamesWithSlashesAndPortsAreOneParameter() {
        assertThat(body(router.dispatch(request("GET", "/v1.43/images/localhost:5000/team/app:1.0/json"))))
                .isEqualTo("inspect localhost:5000/team/app:1.0");
        assertThat(body(router.dispatch(request("DELETE", "/images/busybox:latest")))).isEqualTo("rm busybox:latest");
        assertThat(body(router.dispatch(request("GET", "/images/json")))).isEqualTo("list");
    }

    @Test
    void unknownPathOrMethodIsPageNotFound() {
        Reply.Full r = (Reply.Full) router.dispatch(request("GET", "/nope"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"page not found\"}");
        assertThat(((Reply.Full) router.dispatch(request("PUT", "/images/json"))).status()).isEqualTo(404);
    }

    @Test
    void unexpectedExceptionsAre500WithTheirMessage() {
        Reply.Full r = (Reply.Full) router.dispatch(request("POST", "/boom"));
        assertThat(r.status()).isEqualTo(500);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("kaput");
    }

    @Test
    void versionBoundsUseDockersMessages() {
        assertThatThrownBy(() -> Router.splitVersion("/v1.48/_ping").effective())
                .isInstanceOf(GantryException.class)
                .hasMessage("client version 1.48 is too new. Maximum supported API version is 1.47");
        assertThatThrownBy(() -> Router.splitVersion("/v1.23/_ping").effective())
                .hasMessage("client version 1.23 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(Router.splitVersion("/v1.24/_ping").effective()).isEqualTo(ApiVersion.MIN);
        assertThat(Router.splitVersion("/_ping").requested()).isNull();
        assertThat(Router.splitVersion("/version/x").path()).isEqualTo("/version/x");
    }

    @Test
    void apiVersionsCompareNumerically() {
        assertThat(ApiVersion.parse("1.9")).isLessThan(ApiVersion.parse("1.10"));
        assertThat(ApiVersion.parse("1.41").atLeast(1, 41)).isTrue();
        assertThat(ApiVersion.parse("1.41").atLeast(1, 42)).isFalse();
        assertThatThrownBy(() -> ApiVersion.parse("1.")).hasMessageContaining("invalid API version");
        assertThatThrownBy(() -> ApiVersion.parse("abc")).hasMessageContaining("invalid API version");
    }

    @Test
    void describeListsRoutesInOrder() {
        assertThat(router.describe()).startsWith("GET /images/json", "GET /images/{name*}/json");
    }

    @Test
    void queryHelpersParseLikeDocker() {
        var r = new Request("GET", "/x", ApiVersion.MAX,
                Map.of("a", List.of("1"), "b", List.of("False"), "c", List.of(""), "n", List.of("12"), "bad", List.of("x1")),
                h -> null, new ByteArrayInputStream(new byte[0]), 1024);
        assertThat(r.bool("a", false)).isTrue();
        assertThat(r.bool("b", true)).isFalse();
        assertThat(r.bool("c", true)).isFalse();
        assertThat(r.bool("missing", true)).isTrue();
        assertThat(r.intParam("n")).isEqualTo(12);
        assertThat(r.intParam("missing")).isNull();
        assertThatThrownBy(() -> r.intParam("bad")).hasMessage("invalid value for query parameter bad: x1");
    }
}
