package dev.gantry.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.oci.image.ImageJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token server for distribution's token authentication, on the JDK's HttpServer: checks
 * basic credentials, grants exactly the scopes asked for, and signs an RS256 JWT whose x5c
 * header carries a self-signed certificate (made with openssl) that the registry trusts
 * through its rootcertbundle.
 */
final class TokenServer implements AutoCloseable {
    static final String ISSUER = "gantry-test-issuer";
    static final String SERVICE = "gantry-test-registry";
    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate cert;
    private final String expectedAuth;
    final List<String> scopesAsked = new CopyOnWriteArrayList<>();

    TokenServer(Path dir, String user, String password) throws Exception {
        Cmd.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=gantry-token",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem(dir.resolve("key.pem"))));
        try (var in = Files.newInputStream(dir.resolve("cert.pem"))) {
            this.cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        this.expectedAuth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    String registryAuthYaml(Path certFile) {
        return """
            auth:
              token:
                realm: %s
                service: %s
                issuer: %s
                rootcertbundle: %s
            """.formatted(realm(), SERVICE, ISSUER, certFile);
    }

    private void token(HttpExchange ex) throws IOException {
        try (ex) {
            if (!expectedAuth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            ArrayNode access = ImageJson.mapper().createArrayNode();
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            for (String kv : query.split("&")) {
                if (kv.startsWith("scope=")) {
                    String scope = URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8);
                    scopesAsked.add(scope);
                    String[] p = scope.split(":");
                    ObjectNode a = access.addObject();
                    a.put("type", p[0]);
                    a.put("name", p[1]);
                    ArrayNode actions = a.putArray("actions");
                    for (String action : p[2].split(",")) {
                        actions.add(action);
                    }
                }
            }
            long now = System.currentTimeMillis() / 1000;
            ObjectNode claims = ImageJson.mapper().createObjectNode();
            claims.put("iss", ISSUER).put("sub", "tester").put("aud", SERVICE).put("exp", now + 300)
                    .put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString()).set("access", access);
            ObjectNode header = ImageJson.mapper().createObjectNode();
            header.put("alg", "RS256").put("typ", "JWT").putArray("x5c")
                    .add(Base64.getEncoder().encodeToString(cert.getEncoded()));
            String input = b64(ImageJson.write(header)) + "." + b64(ImageJson.write(claims));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(key);
            sig.update(input.getBytes(StandardCharsets.US_ASCII));
            String jwt = input + "." + b64(sig.sign());
            byte[] body = ImageJson.write(ImageJson.mapper().createObjectNode().put("token", jwt).put("expires_in", 300));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] pem(Path file) throws IOException {
        String text = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(text);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
