package dev.gantry.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.image.registry.Credential;
import dev.gantry.image.registry.CredentialStore;
import dev.gantry.image.registry.DockerConfigCredentials;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.image.registry.RegistryConfig;
import dev.gantry.testkit.LocalRegistry;
import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registries that demand credentials: htpasswd (basic) and a token server (bearer). */
@RequiresRoot
class AuthInteropTest {
    @TempDir
    Path tmp;

    private ImageService service(CredentialStore creds, String dir) {
        return ImageService.open(tmp.resolve(dir),
                new RegistryClient(RegistryClient.defaultHttpClient(), RegistryConfig.DEFAULT, creds));
    }

    @Test
    void basicAuthWithHtpasswd() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("reg"), LocalRegistry.htpasswdAuth(tmp, "alice", "s3cret"))) {
            TestImages.Built built = TestImages.busybox(tmp.resolve("layout"), 0, 0);
            Cmd.run("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:s3cret",
                    "oci:" + tmp.resolve("layout") + ":latest", "docker://" + registry.host() + "/private/bb:1");
            String ref = registry.host() + "/private/bb:1";

            assertThatThrownBy(() -> service(CredentialStore.NONE, "anon").pull(ref, PullOptions.DEFAULT))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
                    .hasMessageContaining("authentication required");
            DockerConfigCredentials wrong = new DockerConfigCredentials(tmp.resolve("wrong/config.json"));
            wrong.save(registry.host(), new Credential("alice", "nope"));
            assertThatThrownBy(() -> service(wrong, "wrong").pull(ref, PullOptions.DEFAULT))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));

            // What "gantry login" writes, read back as Docker's config.json.
            DockerConfigCredentials login = new DockerConfigCredentials(tmp.resolve("docker/config.json"));
            login.save(registry.host(), new Credential("alice", "s3cret"));
            ImageService images = service(login, "ok");
            assertThat(images.pull(ref, PullOptions.DEFAULT).id()).isEqualTo(built.config().digest());
            assertThat(images.push(ref, registry.host() + "/private/again:2", PushOptions.DEFAULT))
                    .isEqualTo(built.manifest().digest());
            assertThat(Cmd.run("skopeo", "inspect", "--tls-verify=false", "--creds", "alice:s3cret",
                    "docker://" + registry.host() + "/private/again:2")).contains(built.manifest().digest().toString());
        }
    }

    @Test
    void bearerTokensFromATokenServer() throws Exception {
        try (TokenServer tokens = new TokenServer(Files.createDirectories(tmp.resolve("tok")), "bob", "pw");
             LocalRegistry registry = LocalRegistry.start(tmp.resolve("reg"), tokens.registryAuthYaml(tmp.resolve("tok/cert.pem")))) {
            TestImages.Built built = TestImages.busybox(tmp.resolve("layout"), 0, 0);
            Cmd.run("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "bob:pw",
                    "oci:" + tmp.resolve("layout") + ":latest", "docker://" + registry.host() + "/tok/bb:1");
            String ref = registry.host() + "/tok/bb:1";
            tokens.scopesAsked.clear();

            assertThatThrownBy(() -> service(CredentialStore.NONE, "anon").pull(ref, PullOptions.DEFAULT))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
                    .hasMessageContaining("token server refused anonymous access");

            CredentialStore bob = host -> java.util.Optional.of(new Credential("bob", "pw"));
            ImageService images = service(bob, "ok");
            assertThat(images.pull(ref, PullOptions.DEFAULT).id()).isEqualTo(built.config().digest());
            assertThat(tokens.scopesAsked).contains("repository:tok/bb:pull");
            assertThat(images.push(ref, registry.host() + "/tok/pushed:1", PushOptions.DEFAULT)).isEqualTo(built.manifest().digest());
            assertThat(tokens.scopesAsked).contains("repository:tok/pushed:pull,push", "repository:tok/bb:pull");
        }
    }
}
