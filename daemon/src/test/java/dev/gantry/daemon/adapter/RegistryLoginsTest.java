package dev.gantry.daemon.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.api.docker.model.AuthConfig;
import dev.gantry.image.registry.Credential;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryLoginsTest {
    private static AuthConfig auth(String user, String password, String encoded, String server) {
        return new AuthConfig(user, password, encoded, null, server, null, null);
    }

    @Test
    void credentialsComeFromUserAndPasswordOrFromTheAuthField() {
        assertThat(RegistryLogins.credentialOf(auth("alice", "pw", null, null))).contains(new Credential("alice", "pw"));
        String encoded = Base64.getEncoder().encodeToString("bob:se:cret".getBytes(StandardCharsets.UTF_8));
        assertThat(RegistryLogins.credentialOf(auth(null, null, encoded, null))).contains(new Credential("bob", "se:cret"));
        assertThat(RegistryLogins.credentialOf(auth(null, null, null, "127.0.0.1:5000"))).isEmpty();
        assertThat(RegistryLogins.credentialOf(null)).isEmpty();
        assertThatThrownBy(() -> RegistryLogins.credentialOf(auth(null, null, "!!", null))).hasMessageContaining("not base64");
        String noColon = Base64.getEncoder().encodeToString("bob".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RegistryLogins.credentialOf(auth(null, null, noColon, null))).hasMessageContaining("user:password");
    }

    @Test
    void theRegistryIsTheServerAddressHost() {
        assertThat(RegistryLogins.registryOf("127.0.0.1:5000")).isEqualTo("127.0.0.1:5000");
        assertThat(RegistryLogins.registryOf("http://127.0.0.1:5000/v2/")).isEqualTo("127.0.0.1:5000");
        assertThat(RegistryLogins.registryOf("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(RegistryLogins.registryOf("")).isEqualTo("docker.io");
    }

    @Test
    void headersAreRememberedByRegistryAndALoginWithoutAUserIsInvalid() {
        RegistryLogins logins = new RegistryLogins(store -> {
            throw new AssertionError("no registry is contacted");
        });
        logins.remember("127.0.0.1:5000", auth("alice", "pw", null, null));
        logins.remember("127.0.0.1:5001", auth(null, null, null, null));
        assertThat(logins.find("127.0.0.1:5000")).contains(new Credential("alice", "pw"));
        assertThat(logins.find("127.0.0.1:5001")).isEmpty();
        assertThatThrownBy(() -> logins.login(auth(null, null, null, "127.0.0.1:5000"))).hasMessageContaining("user name is required");
    }
}
