package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One response from the daemon. {@code headers} are keyed in lower case. {@code connection} is
 * set when the body streams on a connection of its own (closing the response closes it); after
 * a 101 it is the hijacked connection, written through {@link #output} and half-closed with
 * {@link #closeWrite}.
 */
public record Response(int status, Map<String, String> headers, InputStream body, ApiClient.Connection connection, boolean keepAlive)
        implements AutoCloseable {

    Response(int status, Map<String, String> headers, InputStream body, ApiClient.Connection connection) {
        this(status, headers, body, connection, false);
    }

    public byte[] bytes() {
        try {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading the daemon's response: " + e.getMessage());
        }
    }

    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    public Object json() {
        String t = text();
        return t.isBlank() ? null : Json.parse(t);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object() {
        return (Map<String, Object>) json();
    }

    @SuppressWarnings("unchecked")
    public List<Object> array() {
        Object v = json();
        return v == null ? List.of() : (List<Object>) v;
    }

    /** The hijacked connection's write side (stdin to the container). */
    public OutputStream output() {
        return connection.out;
    }

    /** Half-closes the hijacked connection: the container's stdin sees end of file. */
    public void closeWrite() {
        try {
            connection.channel.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * This response if it is a success, else a {@link GantryException} carrying the daemon's
     * message (its JSON {@code message} field), of the kind its status stands for.
     */
    Response checked(String method, String path) {
        if (status < 400) {
            return this;
        }
        String text = text();
        String message = text.strip();
        if (message.startsWith("{")) {
            try {
                Object m = Json.parseObject(message).get("message");
                if (m != null) {
                    message = m.toString();
                }
            } catch (GantryException notJson) {
                // The raw text is the best message there is.
            }
        }
        if (message.isEmpty()) {
            message = "HTTP " + status + " for " + method + " " + path;
        }
        ErrorKind kind = switch (status) {
            case 400 -> ErrorKind.INVALID_ARGUMENT;
            case 401, 403 -> ErrorKind.PERMISSION_DENIED;
            case 404 -> ErrorKind.NOT_FOUND;
            case 409 -> ErrorKind.CONFLICT;
            case 501, 503 -> ErrorKind.UNAVAILABLE;
            default -> ErrorKind.INTERNAL;
        };
        throw new DaemonException(kind, status, message);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
