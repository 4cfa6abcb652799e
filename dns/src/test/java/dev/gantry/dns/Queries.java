package dev.gantry.dns;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A minimal DNS client for the tests: builds queries and sends them over UDP or TCP. */
final class Queries {

    private Queries() {
    }

    static Message query(int id, String name, int type) {
        return new Message(id, Message.RD, List.of(new Question(name, type, RecordTypes.CLASS_IN)), List.of(), List.of(), List.of());
    }

    static Message withOpt(Message query, int payloadSize, long ttl) {
        return new Message(query.id(), query.flags(), query.questions(), query.answers(), query.authorities(),
                List.of(new ResourceRecord("", RecordTypes.OPT, payloadSize, ttl, new byte[0])));
    }

    static Message udp(InetSocketAddress server, Message query) throws IOException {
        return DnsCodec.decode(udpRaw(server, DnsCodec.encode(query), Duration.ofSeconds(5)).orElseThrow(), Integer.MAX_VALUE);
    }

    /** The raw reply, or empty when none came within {@code wait}. */
    static Optional<byte[]> udpRaw(InetSocketAddress server, byte[] packet, Duration wait) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) wait.toMillis());
            socket.send(new DatagramPacket(packet, packet.length, server));
            byte[] buffer = new byte[65_535];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(reply);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            return Optional.of(Arrays.copyOf(buffer, reply.getLength()));
        }
    }

    /** Sends all queries on one connection, then reads one reply per query. */
    static List<Message> tcp(InetSocketAddress server, List<Message> queries) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, 5_000);
            socket.setSoTimeout(5_000);
            for (Message query : queries) {
                socket.getOutputStream().write(TcpFraming.frame(DnsCodec.encode(query)));
            }
            DataInputStream in = new DataInputStream(socket.getInputStream());
            return queries.stream().map(q -> {
                try {
                    byte[] reply = TcpFraming.read(in).orElseThrow();
                    return DnsCodec.decode(reply, reply.length);
                } catch (IOException e) {
                    throw new AssertionError("no TCP reply to " + q, e);
                }
            }).toList();
        }
    }
}
