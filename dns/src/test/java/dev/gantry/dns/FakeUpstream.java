package dev.gantry.dns;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An upstream resolver for the tests, on 127.0.0.1 (UDP and TCP on one port): it replies what
 * {@code responder} makes of each query (empty: stays silent) and records what it was asked and how.
 */
final class FakeUpstream implements AutoCloseable {
    record Received(Transport transport, Message query) {
    }

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Function<Message, Optional<byte[]>> responder;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    FakeUpstream(Function<Message, Optional<byte[]>> responder) throws IOException {
        this.responder = responder;
        this.udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.tcp = new ServerSocket(udp.getLocalPort(), 50, InetAddress.getLoopbackAddress());
        threads.add(Thread.ofVirtual().start(this::serveUdp));
        threads.add(Thread.ofVirtual().start(this::serveTcp));
    }

    /** Answers every query with one A record 192.0.2.1 (TEST-NET-1), flags as given. */
    static Function<Message, Optional<byte[]>> answering(int extraFlags) {
        return query -> Optional.of(DnsCodec.encode(new Message(query.id(),
                Message.QR | Message.RD | Message.RA | extraFlags, query.questions(),
                List.of(new ResourceRecord(query.questions().getFirst().name(), RecordTypes.A, RecordTypes.CLASS_IN, 30,
                        new byte[] {(byte) 192, 0, 2, 1})), List.of(), List.of())));
    }

    InetSocketAddress address() {
        return (InetSocketAddress) udp.getLocalSocketAddress();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void serveUdp() {
        byte[] buffer = new byte[65_535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                Message query = DnsCodec.decode(Arrays.copyOf(buffer, packet.getLength()), packet.getLength());
                received.add(new Received(Transport.UDP, query));
                Optional<byte[]> reply = responder.apply(query);
                if (reply.isPresent()) {
                    udp.send(new DatagramPacket(reply.get(), reply.get().length, packet.getSocketAddress()));
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket connection = tcp.accept()) {
                DataInputStream in = new DataInputStream(connection.getInputStream());
                Optional<byte[]> bytes;
                while ((bytes = TcpFraming.read(in)).isPresent()) {
                    Message query = DnsCodec.decode(bytes.get(), bytes.get().length);
                    received.add(new Received(Transport.TCP, query));
                    Optional<byte[]> reply = responder.apply(query);
                    if (reply.isPresent()) {
                        connection.getOutputStream().write(TcpFraming.frame(reply.get()));
                    }
                }
            } catch (IOException closed) {
                if (tcp.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // Already closed.
        }
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }
}
