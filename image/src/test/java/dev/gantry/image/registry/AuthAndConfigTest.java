package dev.gantry.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthAndConfigTest {
    @TempDir
    Path tmp;

    @Test
    void parsesBearerChallenge() {
        AuthChallenge c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"");
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.params()).containsEntry("realm", "https://auth.example/token")
                .containsEntry("service", "registry.example")
                .containsEntry("scope", "repository:a/b:pull,push");
        assertThat(AuthChallenge.parse("Basic realm=\"Registry Realm\"").scheme()).isEqualTo("basic");
    }

    @Test
    void plainHttpOnlyForLoopbackAndInsecureHosts() {
        RegistryConfig c = RegistryConfig.DEFAULT.withInsecure(Set.of("registry.lan:5000"));
        assertThat(c.endpoint("127.0.0.1:5000")).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(c.endpoint("127.3.4.5")).isEqualTo(URI.create("http://127.3.4.5"));
        assertThat(c.endpoint("localhost:5000")).isEqualTo(URI.create("http://localhost:5000"));
        assertThat(c.endpoint("registry.lan:5000")).isEqualTo(URI.create("http://registry.lan:5000"));
        assertThat(c.endpoint("quay.io")).isEqualTo(URI.create("https://quay.io"));
        assertThat(c.endpoint("docker.io")).isEqualTo(URI.create("https://registry-1.docker.io"));
        assertThat(c.endpoint("10.0.0.1:5000")).isEqualTo(URI.create("https://10.0.0.1:5000"));
    }

    @Test
    void mirrorsComeBeforeTheRegistry() {
        RegistryConfig c = RegistryConfig.DEFAULT.withMirrors(Map.of("docker.io", List.of(URI.create("http://127.0.0.1:6000"))));
        assertThat(c.pullEndpoints("docker.io")).containsExactly(URI.create("http://127.0.0.1:6000"),
                URI.create("https://registry-1.docker.io"));
        assertThat(c.pullEndpoints("quay.io")).containsExactly(URI.create("https://quay.io"));
    }

    @Test
    void readsAndWritesDockerConfig() throws Exception {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, """
            {"auths":{"https://index.docker.io/v1/":{"auth":"aHViOnNlY3JldA=="},
                      "127.0.0.1:5000":{"username":"u","password":"p"}},
             "psFormat":"keep me"}""");
        DockerConfigCredentials creds = new DockerConfigCredentials(file);
        assertThat(creds.find("docker.io")).contains(new Credential("hub", "secret"));
        assertThat(creds.find("127.0.0.1:5000")).contains(new Credential("u", "p"));
        assertThat(creds.find("quay.io")).isEmpty();
        creds.save("quay.io", new Credential("q", "pw:with:colons"));
        assertThat(new DockerConfigCredentials(file).find("quay.io")).contains(new Credential("q", "pw:with:colons"));
        assertThat(Files.readString(file)).contains("keep me");
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    }
}
