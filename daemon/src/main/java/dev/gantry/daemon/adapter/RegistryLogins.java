package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.model.AuthConfig;
import dev.gantry.base.GantryException;
import dev.gantry.image.registry.Credential;
import dev.gantry.image.registry.CredentialStore;
import dev.gantry.image.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry credentials clients sent ({@code docker login}'s {@code POST /auth}, and the
 * {@code X-Registry-Auth} header of pull and push), kept in memory by registry host for the
 * daemon's registry client. The docker CLI keeps the user's credentials and sends them with each
 * pull and push; the daemon keeps the last ones it was given for a registry until it stops
 * (every client of the socket is root-equivalent already, so sharing them adds no access).
 */
public final class RegistryLogins implements CredentialStore {
    private final Map<String, Credential> byRegistry = new ConcurrentHashMap<>();
    private final Function<CredentialStore, RegistryClient> clients;

    /** @param clients a registry client using the given credentials (to check a login with) */
    public RegistryLogins(Function<CredentialStore, RegistryClient> clients) {
        this.clients = clients;
    }

    /**
     * {@code docker login}: checks the credentials against the registry ({@code GET /v2/} with
     * them, through its Basic or token authentication) and remembers them. Returns the registry.
     */
    public String login(AuthConfig auth) {
        String registry = registryOf(auth == null ? null : auth.serverAddress());
        Credential c = credentialOf(auth).orElseThrow(() -> GantryException.invalid("username: a user name is required to log in"));
        clients.apply(r -> r.equals(registry) ? Optional.of(c) : Optional.empty()).ping(registry);
        byRegistry.put(registry, c);
        return registry;
    }

    @Override
    public Optional<Credential> find(String registry) {
        return Optional.ofNullable(byRegistry.get(registry));
    }

    /** Remembers {@code auth} for {@code registry}; a header without a user name changes nothing. */
    public void remember(String registry, AuthConfig auth) {
        credentialOf(auth).ifPresent(c -> byRegistry.put(registry, c));
    }

    /** The user name and password of {@code auth} (or its {@code auth} field: base64 of user:password). */
    public static Optional<Credential> credentialOf(AuthConfig auth) {
        if (auth == null) {
            return Optional.empty();
        }
        if (auth.username() != null && !auth.username().isEmpty()) {
            String secret = auth.password() != null && !auth.password().isEmpty() ? auth.password()
                    : auth.identityToken() == null ? "" : auth.identityToken();
            return Optional.of(new Credential(auth.username(), secret));
        }
        if (auth.auth() != null && !auth.auth().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.auth()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw GantryException.invalid("auth: not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw GantryException.invalid("auth: expected base64 of user:password");
            }
            return Optional.of(new Credential(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        return Optional.empty();
    }

    /**
     * The registry host a login names: {@code serveraddress} without scheme and path; Docker Hub's
     * index URL and an empty address mean docker.io.
     */
    public static String registryOf(String serverAddress) {
        if (serverAddress == null || serverAddress.isEmpty()) {
            return "docker.io";
        }
        String s = serverAddress.replaceFirst("^[a-zA-Z]+://", "");
        int slash = s.indexOf('/');
        s = slash >= 0 ? s.substring(0, slash) : s;
        return s.equals("index.docker.io") || s.equals("registry-1.docker.io") ? "docker.io" : s;
    }
}
