package dev.gantry.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.ImageJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials in Docker's {@code config.json} ({@code ~/.docker/config.json}): the
 * {@code auths} map, keyed by registry host or URL, each with a base64 {@code auth} of
 * {@code user:password} (or {@code username}/{@code password}, or an {@code identitytoken}).
 * {@link #save} is what {@code gantry login} writes; other fields of the file are kept.
 * Credential helpers ({@code credsStore}, {@code credHelpers}) are not run.
 */
public final class DockerConfigCredentials implements CredentialStore {
    private static final String HUB_KEY = "https://index.docker.io/v1/";
    private final Path file;

    public DockerConfigCredentials(Path file) {
        this.file = file;
    }

    /** The file Docker uses: {@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}. */
    public static DockerConfigCredentials forUser() {
        String dir = System.getenv("DOCKER_CONFIG");
        Path base = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
        return new DockerConfigCredentials(base.resolve("config.json"));
    }

    @Override
    public Optional<Credential> find(String registry) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode auths = read().path("auths");
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (hostOf(e.getKey()).equals(normalize(registry))) {
                return decode(e.getKey(), e.getValue());
            }
        }
        return Optional.empty();
    }

    /** Stores {@code credential} for {@code registry}, as {@code docker login} does. */
    public void save(String registry, Credential credential) {
        ObjectNode root = Files.exists(file) ? (ObjectNode) read() : ImageJson.mapper().createObjectNode();
        ObjectNode auths = root.has("auths") ? (ObjectNode) root.get("auths") : root.putObject("auths");
        String key = normalize(registry).equals("docker.io") ? HUB_KEY : registry;
        String auth = Base64.getEncoder().encodeToString((credential.username() + ":" + credential.password())
                .getBytes(StandardCharsets.UTF_8));
        auths.putObject(key).put("auth", auth);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, ImageJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "writing " + file + ": " + e.getMessage(), e);
        }
    }

    private JsonNode read() {
        try {
            JsonNode n = ImageJson.mapper().readTree(Files.readAllBytes(file));
            if (n == null || !n.isObject()) {
                throw GantryException.invalid(file + ": not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw GantryException.invalid(file + ": " + e.getMessage());
        }
    }

    private Optional<Credential> decode(String key, JsonNode entry) {
        if (entry.hasNonNull("auth") && !entry.get("auth").asText().isEmpty()) {
            String plain = new String(Base64.getDecoder().decode(entry.get("auth").asText().trim()), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon < 0) {
                throw GantryException.invalid(file + ": auths." + key + ".auth is not base64 of user:password");
            }
            return Optional.of(new Credential(plain.substring(0, colon), plain.substring(colon + 1)));
        }
        if (entry.hasNonNull("username")) {
            return Optional.of(new Credential(entry.get("username").asText(), entry.path("password").asText()));
        }
        if (entry.hasNonNull("identitytoken")) {
            return Optional.of(new Credential("<token>", entry.get("identitytoken").asText()));
        }
        return Optional.empty();
    }

    private static String hostOf(String key) {
        String k = key.replaceFirst("^https?://", "");
        int slash = k.indexOf('/');
        return normalize(slash < 0 ? k : k.substring(0, slash));
    }

    private static String normalize(String registry) {
        return switch (registry) {
            case "index.docker.io", "registry-1.docker.io", "docker.io" -> "docker.io";
            default -> registry;
        };
    }
}
