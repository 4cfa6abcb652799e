package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registry credentials for login, logout and push, kept as docker keeps them: a config file
 * ({@code $GANTRY_CONFIG/config.json}, default {@code ~/.gantry/config.json}, mode 0600) whose
 * {@code auths} map a server to {@code base64(user:password)}; sent to the daemon as the
 * base64url JSON {@code X-Registry-Auth} header.
 */
final class Credentials {
    private Credentials() {}

    static int login(Session s, Args a) throws IOException {
        ContainerCommands.arity(s, a, "login", 0, 1);
        String server = a.positional().isEmpty() ? "https://index.docker.io/v1/" : a.positional().getFirst();
        String user = a.value("username");
        String password = a.value("password");
        if (a.bool("password-stdin")) {
            if (user == null) {
                throw new UsageException("--password-stdin needs --username");
            }
            password = new BufferedReader(new InputStreamReader(s.in, StandardCharsets.UTF_8)).readLine();
        }
        if (user == null || password == null) {
            // As docker: ask on the terminal for what the flags did not give (the password without echo).
            java.io.Console console = System.console();
            if (console == null || !console.isTerminal()) {
                throw new UsageException("cannot perform an interactive login from a non TTY device:"
                        + " give --username and --password-stdin");
            }
            if (user == null) {
                user = console.readLine("Username: ");
            }
            if (password == null) {
                char[] typed = console.readPassword("Password: ");
                password = typed == null ? null : new String(typed);
            }
            if (user == null || user.isBlank()) {
                throw new UsageException("login: a username is required");
            }
            if (password == null || password.isEmpty()) {
                throw new UsageException("login: a password is required");
            }
        }
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("username", user);
        auth.put("password", password);
        auth.put("serveraddress", server);
        Map<String, Object> r = s.api().call("POST", "/auth", auth).object();
        Map<String, Object> config = read(s);
        @SuppressWarnings("unchecked")
        Map<String, Object> auths = (Map<String, Object>) config.computeIfAbsent("auths", k -> new LinkedHashMap<>());
        auths.put(server, Map.of("auth", Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))));
        write(s, config);
        s.out.println(r != null && r.get("Status") != null ? r.get("Status") : "Login Succeeded");
        return 0;
    }

    static int logout(Session s, Args a) throws IOException {
        ContainerCommands.arity(s, a, "logout", 0, 1);
        String server = a.positional().isEmpty() ? "https://index.docker.io/v1/" : a.positional().getFirst();
        Map<String, Object> config = read(s);
        if (config.get("auths") instanceof Map<?, ?> auths && auths.remove(server) != null) {
            write(s, config);
            s.out.println("Removing login credentials for " + server);
        } else {
            s.out.println("Not logged in to " + server);
        }
        return 0;
    }

    /** The X-Registry-Auth value for pushing {@code repository}: its registry's stored credentials, else {@code {}}. */
    static String header(Session s, String repository) {
        String registry = repository.contains("/") ? repository.substring(0, repository.indexOf('/')) : "";
        Map<String, Object> config = read(s);
        Map<String, Object> auth = new LinkedHashMap<>();
        if (config.get("auths") instanceof Map<?, ?> auths) {
            for (var e : auths.entrySet()) {
                String server = String.valueOf(e.getKey()).replaceFirst("^https?://", "").replaceAll("/.*$", "");
                if (server.equals(registry) && e.getValue() instanceof Map<?, ?> entry && entry.get("auth") instanceof String enc) {
                    String[] up = new String(Base64.getDecoder().decode(enc), StandardCharsets.UTF_8).split(":", 2);
                    auth.put("username", up[0]);
                    auth.put("password", up.length > 1 ? up[1] : "");
                    auth.put("serveraddress", e.getKey());
                }
            }
        }
        return ImageCommands.base64Json(auth);
    }

    private static Path file(Session s) {
        String dir = s.env("GANTRY_CONFIG");
        return dir != null ? Path.of(dir, "config.json") : Path.of(System.getProperty("user.home"), ".gantry", "config.json");
    }

    private static Map<String, Object> read(Session s) {
        Path f = file(s);
        try {
            return Files.exists(f) ? Json.parseObject(Files.readString(f)) : new LinkedHashMap<>();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, "cannot read " + f + ": " + e.getMessage());
        }
    }

    private static void write(Session s, Map<String, Object> config) throws IOException {
        Path f = file(s);
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling("config.json.tmp");
        Files.writeString(tmp, Json.writeIndented(config) + "\n");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
