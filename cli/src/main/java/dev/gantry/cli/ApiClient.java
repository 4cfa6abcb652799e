package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * HTTP/1.1 to the Docker Engine API over a unix socket, spoken directly on a
 * {@link SocketChannel} (no HTTP library: the CLI starts a JVM per command, and every class it
 * loads is start-up time). Plain requests reuse one kept-alive connection; a request whose
 * response streams (logs -f, events, attach, wait) gets its own with {@link #open}.
 * Every path is prefixed with the API version the CLI was written against.
 */
public final class ApiClient implements AutoCloseable {
    /** The Engine API version whose request and response shapes this CLI uses. */
    public static final String API_VERSION = "1.47";

    private final Path socket;
    private Connection idle;

    public ApiClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** A request with a JSON body (or none when {@code body} is null), answered in full. */
    public Response call(String method, String path, Object body) {
        byte[] bytes = body == null ? null : Json.write(body).getBytes(StandardCharsets.UTF_8);
        return call(method, path, bytes == null ? null : Body.json(bytes), Map.of());
    }

    /** A request whose response is read to the end and returned; 4xx/5xx become {@link GantryException}. */
    public Response call(String method, String path, Body body, Map<String, String> headers) {
        Connection c = idle != null ? idle : connect();
        idle = null;
        Response r;
        try {
            r = c.send(method, path, body, headers, false);
        } catch (GantryException e) {
            // A kept-alive connection the daemon closed meanwhile: retry once on a fresh one.
            if (c.reused && e.kind() == ErrorKind.UNAVAILABLE) {
                c.close();
                c = connect();
                r = c.send(method, path, body, headers, false);
            } else {
                c.close();
                throw e;
            }
        }
        byte[] content = r.bytes();
        if (r.keepAlive()) {
            c.reused = true;
            idle = c;
        } else {
            c.close();
        }
        Response full = new Response(r.status(), r.headers(), new java.io.ByteArrayInputStream(content), null);
        return full.checked(method, path);
    }

    /**
     * A request on a connection of its own whose response body is read as it arrives
     * (chunked or until the daemon closes). With {@code upgrade}, asks for the connection to be
     * hijacked (101) as docker does for attach and exec start; the returned response's
     * {@link Response#connection} then carries the raw stream both ways.
     */
    public Response open(String method, String path, Body body, boolean upgrade) {
        return open(method, path, body, upgrade, Map.of());
    }

    /** {@link #open(String, String, Body, boolean)} with extra request headers (X-Registry-Auth). */
    public Response open(String method, String path, Body body, boolean upgrade, Map<String, String> headers) {
        Connection c = connect();
        Response r = c.send(method, path, body, headers, upgrade);
        if (r.status() >= 400) {
            try {
                return new Response(r.status(), r.headers(), new java.io.ByteArrayInputStream(r.bytes()), null).checked(method, path);
            } finally {
                c.close();
            }
        }
        return r;
    }

    /**
     * Opens the connection the first call will use, so that finding out whether a daemon
     * listens costs no connection of its own; false when nothing accepts on the socket.
     */
    boolean connectFirst() {
        if (idle == null) {
            try {
                idle = new Connection(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private Connection connect() {
        try {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            return new Connection(ch);
        } catch (SocketException | java.nio.channels.ClosedChannelException e) {
            throw unreachable(e);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private GantryException unreachable(IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("Permission denied") || (Files.exists(socket) && !Files.isWritable(socket))) {
            return new GantryException(ErrorKind.PERMISSION_DENIED, "permission denied while connecting to gantryd at unix://" + socket
                    + ": run gantry as root, or as a user allowed to write that socket");
        }
        return new GantryException(ErrorKind.UNAVAILABLE, "cannot connect to gantryd at unix://" + socket
                + ": is it running? Start it with `gantryd` as root, or point --host/GANTRY_HOST at its socket");
    }

    @Override
    public void close() {
        if (idle != null) {
            idle.close();
            idle = null;
        }
    }

    /** A request body: bytes with their length, or a stream sent chunked when its length is unknown (-1). */
    public record Body(String contentType, InputStream stream, long length) {
        public static Body json(byte[] bytes) {
            return new Body("application/json", new java.io.ByteArrayInputStream(bytes), bytes.length);
        }

        public static Body tar(InputStream in, long length) {
            return new Body("application/x-tar", in, length);
        }
    }

    /** An open HTTP connection on one socket channel. */
    static final class Connection implements AutoCloseable {
        final SocketChannel channel;
        final InputStream in;
        final OutputStream out;
        boolean reused;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.in = new BufferedInputStream(Channels.newInputStream(channel), 16384);
            this.out = Channels.newOutputStream(channel);
        }

        Response send(String method, String path, Body body, Map<String, String> headers, boolean upgrade) {
            try {
                StringBuilder h = new StringBuilder(256);
                h.append(method).append(' ').append("/v").append(API_VERSION).append(path).append(" HTTP/1.1\r\n")
                        .append("Host: api\r\nUser-Agent: gantry-cli/").append(API_VERSION).append("\r\n");
                if (upgrade) {
                    h.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
                }
                headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
                if (body != null) {
                    h.append("Content-Type: ").append(body.contentType()).append("\r\n");
                    if (body.length() >= 0) {
                        h.append("Content-Length: ").append(body.length()).append("\r\n");
                    } else {
                        h.append("Transfer-Encoding: chunked\r\n");
                    }
                } else if (method.equals("POST") || method.equals("PUT")) {
                    h.append("Content-Length: 0\r\n");
                }
                h.append("\r\n");
                if (body != null && body.length() >= 0 && body.length() < 65536) {
                    // One write for small requests: the daemon sees headers and body together.
                    byte[] head = h.toString().getBytes(StandardCharsets.UTF_8);
                    byte[] content = body.stream().readAllBytes();
                    byte[] all = new byte[head.length + content.length];
                    System.arraycopy(head, 0, all, 0, head.length);
                    System.arraycopy(content, 0, all, head.length, content.length);
                    out.write(all);
                } else {
                    out.write(h.toString().getBytes(StandardCharsets.UTF_8));
                    if (body != null) {
                        writeBody(body);
                    }
                }
                return readResponse(method);
            } catch (IOException e) {
                throw new GantryException(ErrorKind.UNAVAILABLE, "gantryd closed the connection during " + method + " " + path + ": " + e.getMessage());
            }
        }

        private void writeBody(Body body) throws IOException {
            byte[] buf = new byte[65536];
            if (body.length() >= 0) {
                body.stream().transferTo(out);
                return;
            }
            for (int n; (n = body.stream().read(buf)) > 0; ) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(buf, 0, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        private Response readResponse(String method) throws IOException {
            String status = line();
            if (status == null) {
                throw new IOException("no response");
            }
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + status);
            }
            int code = Integer.parseInt(parts[1]);
            Map<String, String> headers = new HashMap<>();
            for (String l = line(); l != null && !l.isEmpty(); l = line()) {
                int colon = l.indexOf(':');
                if (colon > 0) {
                    headers.put(l.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), l.substring(colon + 1).trim());
                }
            }
            InputStream body;
            boolean keepAlive = !"close".equalsIgnoreCase(headers.get("connection"));
            if (code == 101) {
                body = in;
                keepAlive = false;
            } else if (code == 204 || code == 304 || method.equals("HEAD")) {
                body = InputStream.nullInputStream();
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = new ChunkedInputStream(in);
            } else if (headers.containsKey("content-length")) {
                body = new LimitedInputStream(in, Long.parseLong(headers.get("content-length")));
            } else {
                body = in;
                keepAlive = false;
            }
            return new Response(code, headers, body, keepAlive ? null : this, keepAlive);
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                sb.append((char) c);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a socket the daemon already closed.
            }
        }
    }
}
