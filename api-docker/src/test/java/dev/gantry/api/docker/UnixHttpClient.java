package dev.gantry.api.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A minimal HTTP/1.1 client over a unix socket for tests: one connection, requests in sequence. */
public final class UnixHttpClient implements AutoCloseable {
    public record Response(int status, String reason, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    public UnixHttpClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        in = new java.io.BufferedInputStream(Channels.newInputStream(channel));
        out = Channels.newOutputStream(channel);
    }

    public Response send(String method, String path) throws IOException {
        return send(method, path, Map.of(), null);
    }

    public Response send(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        sendHead(method, path, headers, body);
        return readResponse(method.equals("HEAD"));
    }

    public void sendHead(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        var sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: docker\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    /** Reads status line and headers only (for streams and hijacked connections). */
    public Response readHead() throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        var headers = new LinkedHashMap<String, String>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers, new byte[0]);
    }

    public Response readResponse(boolean head) throws IOException {
        Response r = readHead();
        if (head || r.status() == 204 || r.status() == 304) {
            return r;
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(r.header("transfer-encoding"))) {
            var buf = new ByteArrayOutputStream();
            for (byte[] chunk = readChunk(); chunk != null; chunk = readChunk()) {
                buf.write(chunk);
            }
            body = buf.toByteArray();
        } else if (r.header("content-length") != null) {
            body = in.readNBytes(Integer.parseInt(r.header("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Response(r.status(), r.reason(), r.headers(), body);
    }

    /** One chunk of a chunked body, or null after the last. */
    public byte[] readChunk() throws IOException {
        int size = Integer.parseInt(line().trim(), 16);
        if (size == 0) {
            line();
            return null;
        }
        byte[] data = in.readNBytes(size);
        line();
        return data;
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    private String line() throws IOException {
        var sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        if (c == -1 && sb.isEmpty()) {
            throw new java.io.EOFException("connection closed");
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
