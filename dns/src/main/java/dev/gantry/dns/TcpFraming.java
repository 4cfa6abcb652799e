package dev.gantry.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;

/** DNS over TCP: every message is preceded by its length as two big-endian bytes (RFC 1035 §4.2.2, RFC 7766 §8). */
final class TcpFraming {

    private TcpFraming() {
    }

    static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 2];
        framed[0] = (byte) (message.length >> 8);
        framed[1] = (byte) message.length;
        System.arraycopy(message, 0, framed, 2, message.length);
        return framed;
    }

    /** The next message; empty when the peer closed the stream between two messages. */
    static Optional<byte[]> read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return Optional.empty();
        }
        int second = in.read();
        if (second < 0) {
            throw new EOFException("stream ended inside a length prefix");
        }
        byte[] message = new byte[(first << 8) | second];
        in.readFully(message);
        return Optional.of(message);
    }
}
