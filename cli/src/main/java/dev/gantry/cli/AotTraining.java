package dev.gantry.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run for gantry's AOT cache (JDK 25 {@code -XX:AOTCacheOutput}), made at build
 * time. It runs the everyday commands (ps in its forms, images, run, run -d, inspect
 * --format, rm, logs, volume/network ls, a flag error) through the real client code against a
 * small server on a temporary unix socket that answers as gantryd does, so that the HTTP, JSON,
 * table and template classes are in the cache without root or a running daemon.
 */
public final class AotTraining {
    private static final String ID = "4f5e6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091";

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("gantry-aot-");
        Path socket = dir.resolve("api.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofPlatform().daemon().start(() -> serve(server));
            Map<String, String> env = Map.of("GANTRY_HOST", "unix://" + socket, "GANTRY_AUTOSTART", "0");
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            List<List<String>> commands = List.of(
                    List.of("ps"), List.of("ps", "-a"), List.of("ps", "-aq", "--no-trunc"), List.of("ps", "--format", "{{.ID}} {{.Names}}"),
                    List.of("ps", "--format", "table {{.ID}}\t{{.Names}}\t{{.Status}}"), List.of("ps", "--format", "{{json .}}"),
                    List.of("images"), List.of("run", "--rm", "busybox", "true"), List.of("run", "-d", "--name", "web", "-p", "8080:80",
                            "-e", "A=1", "-v", "/tmp:/data:ro", "busybox", "sleep", "1"),
                    List.of("inspect", "--format", "{{.State.Status}} {{range .Config.Env}}{{.}}{{end}}", "web"), List.of("inspect", "web"),
                    List.of("rm", "-f", "web"), List.of("logs", "web"), List.of("volume", "ls"), List.of("network", "ls"),
                    List.of("version"), List.of("ps", "--bogus"), List.of("run", "--help"));
            // The process classes a -t session (stty) and the daemon's auto-start use.
            new ProcessBuilder("true").redirectError(ProcessBuilder.Redirect.INHERIT).start().waitFor();
            for (int round = 0; round < 3; round++) {
                for (List<String> c : commands) {
                    new Gantry(env, null).run(c, sink, sink, InputStream.nullInputStream());
                }
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void serve(ServerSocketChannel server) {
        while (true) {
            try {
                SocketChannel ch = server.accept();
                Thread.ofPlatform().daemon().start(() -> connection(ch));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void connection(SocketChannel ch) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            OutputStream out = Channels.newOutputStream(ch);
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                long length = 0;
                boolean chunked = false;
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    String lower = h.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(h.substring(15).trim());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    }
                }
                if (chunked) {
                    for (long n = Long.parseLong(line(in).trim(), 16); n > 0; n = Long.parseLong(line(in).trim(), 16)) {
                        in.readNBytes((int) n);
                        line(in);
                    }
                    line(in);
                } else {
                    in.readNBytes((int) length);
                }
                String[] parts = requestLine.split(" ");
                if (!answer(parts[0], parts[1].replaceFirst("^/v[0-9.]+", ""), out)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away: the next command opens a new connection.
        }
    }

    /** Writes the response; false when the connection ends with it (hijack). */
    private static boolean answer(String method, String path, OutputStream out) throws IOException {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (p.endsWith("/attach")) {
            out.write("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {1, 0, 0, 0, 0, 0, 0, 3, 'h', 'i', '\n'});
            return false;
        }
        String container = "{\"Id\":\"" + ID + "\",\"Names\":[\"/web\"],\"Image\":\"busybox:latest\",\"ImageID\":\"sha256:" + ID
                + "\",\"Command\":\"sh -c 'while true; do sleep 1; done'\",\"Created\":" + (System.currentTimeMillis() / 1000 - 30)
                + ",\"Ports\":[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"}],\"Labels\":{\"a\":\"b\"},"
                + "\"State\":\"running\",\"Status\":\"Up 30 seconds\",\"HostConfig\":{\"NetworkMode\":\"none\"},"
                + "\"NetworkSettings\":{\"Networks\":{\"none\":{}}},\"Mounts\":[]}";
        String body;
        int status = 200;
        if (method.equals("POST") && (p.endsWith("/start") || p.endsWith("/stop") || p.endsWith("/kill"))
                || method.equals("DELETE")) {
            status = 204;
            body = null;
        } else if (p.equals("/containers/json")) {
            body = "[" + container + "," + container.replace("/web", "/db") + "]";
        } else if (p.equals("/containers/create")) {
            status = 201;
            body = "{\"Id\":\"" + ID + "\",\"Warnings\":[]}";
        } else if (p.endsWith("/wait")) {
            body = "{\"StatusCode\":0}";
        } else if (p.endsWith("/logs")) {
            body = "\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0003hi\n";
        } else if (p.startsWith("/containers/")) {
            body = "{\"Id\":\"" + ID + "\",\"Name\":\"/web\",\"State\":{\"Status\":\"running\",\"Running\":true,\"ExitCode\":0},"
                    + "\"Config\":{\"Tty\":false,\"OpenStdin\":false,\"Env\":[\"A=1\",\"PATH=/bin\"],\"Cmd\":[\"sleep\",\"1\"]},"
                    + "\"HostConfig\":{\"NetworkMode\":\"none\"},\"NetworkSettings\":{\"Ports\":{}}}";
        } else if (p.equals("/images/json")) {
            body = "[{\"Id\":\"sha256:" + ID + "\",\"RepoTags\":[\"busybox:latest\"],\"Created\":1700000000,\"Size\":2200000,\"Containers\":-1}]";
        } else if (p.equals("/volumes")) {
            body = "{\"Volumes\":[{\"Name\":\"data\",\"Driver\":\"local\",\"Mountpoint\":\"/var/lib/gantry/volumes/data\",\"Scope\":\"local\"}],\"Warnings\":[]}";
        } else if (p.equals("/networks")) {
            body = "[{\"Name\":\"none\",\"Id\":\"" + ID + "\",\"Driver\":\"null\",\"Scope\":\"local\"}]";
        } else if (p.equals("/version")) {
            body = "{\"Version\":\"0.1.0\",\"ApiVersion\":\"1.47\",\"MinAPIVersion\":\"1.24\",\"Os\":\"linux\",\"Arch\":\"amd64\"}";
        } else {
            status = 404;
            body = "{\"message\":\"page not found\"}";
        }
        ByteArrayOutputStream resp = new ByteArrayOutputStream();
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        resp.write(("HTTP/1.1 " + status + " X\r\nApi-Version: 1.47\r\nContent-Type: application/json\r\n"
                + (status == 204 ? "" : "Content-Length: " + content.length + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        resp.write(content);
        out.write(resp.toByteArray());
        return true;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                return sb.toString().stripTrailing();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
