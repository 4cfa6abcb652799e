package dev.gantry.dns;

import dev.gantry.base.GantryException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Asks the upstream resolvers, in order, each for at most {@code timeout}. An upstream that does
 * not answer in time, refuses the connection, or answers SERVFAIL or REFUSED gives way to the
 * next one.
 *
 * <p>Each forward goes out with a fresh random id from a fresh socket (so a fresh ephemeral
 * port), and only a reply with that id and the same question is accepted: an off-path host must
 * guess both to poison a container's answer (RFC 5452 §9.1).
 */
final class Forwarder {
    private final List<InetSocketAddress> upstreams;
    private final Duration timeout;
    private final Semaphore inFlight;
    private final SecureRandom random = new SecureRandom();

    Forwarder(List<InetSocketAddress> upstreams, Duration timeout, int maxInFlight) {
        this.upstreams = List.copyOf(upstreams);
        this.timeout = timeout;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * The first usable upstream answer to {@code query}, carrying the query's own id; empty when
     * every upstream failed, there are none, or too many forwards are already waiting.
     */
    Optional<byte[]> forward(byte[] query, Question question, Transport transport) {
        if (upstreams.isEmpty() || !inFlight.tryAcquire()) {
            return Optional.empty();
        }
        try {
            byte[] outgoing = query.clone();
            int forwardId = random.nextInt(0x10000);
            outgoing[0] = (byte) (forwardId >> 8);
            outgoing[1] = (byte) forwardId;
            for (InetSocketAddress upstream : upstreams) {
                if (Thread.currentThread().isInterrupted()) {
                    return Optional.empty();
                }
                Optional<byte[]> reply = ask(upstream, outgoing, forwardId, question, transport);
                if (reply.isPresent()) {
                    byte[] answer = reply.get();
                    answer[0] = query[0];
                    answer[1] = query[1];
                    return reply;
                }
            }
            return Optional.empty();
        } finally {
            inFlight.release();
        }
    }

    private Optional<byte[]> ask(InetSocketAddress upstream, byte[] query, int id, Question question, Transport transport) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            return transport == Transport.UDP
                    ? askUdp(upstream, query, id, question, deadline)
                    : askTcp(upstream, query, id, question, deadline);
        } catch (IOException e) {
            // Refused, unreachable, timed out or closed by close(): the next upstream may do better.
            return Optional.empty();
        }
    }

    private Optional<byte[]> askUdp(InetSocketAddress upstream, byte[] query, int id, Question question, long deadline)
            throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            // Connected, so the kernel drops datagrams from any other address and reports an
            // ICMP port-unreachable as an exception instead of a silent wait.
            socket.connect(upstream);
            socket.send(new DatagramPacket(query, query.length));
            byte[] buffer = new byte[WireWriter.MAX_MESSAGE];
            while (true) {
                socket.setSoTimeout(remainingMillis(deadline));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                if (accepted(buffer, packet.getLength(), id, question)) {
                    return usable(Arrays.copyOf(buffer, packet.getLength()));
                }
            }
        }
    }

    private Optional<byte[]> askTcp(InetSocketAddress upstream, byte[] query, int id, Question question, long deadline)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(upstream, remainingMillis(deadline));
            OutputStream out = socket.getOutputStream();
            out.write(TcpFraming.frame(query));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                socket.setSoTimeout(remainingMillis(deadline));
                byte[] reply = TcpFraming.read(in).orElseThrow(() -> new IOException("upstream closed the connection"));
                if (accepted(reply, reply.length, id, question)) {
                    return usable(reply);
                }
            }
        }
    }

    private static boolean accepted(byte[] reply, int length, int id, Question question) {
        if (length < Message.HEADER_LENGTH) {
            return false;
        }
        int replyId = ((reply[0] & 0xFF) << 8) | (reply[1] & 0xFF);
        if (replyId != id || (reply[2] & 0x80) == 0) {
            return false;
        }
        try {
            return DnsCodec.firstQuestion(reply, length).sameAs(question);
        } catch (GantryException malformed) {
            return false;
        }
    }

    /** SERVFAIL and REFUSED say "not me": the next upstream is asked instead. */
    private static Optional<byte[]> usable(byte[] reply) {
        int rcode = reply[3] & 0xF;
        return rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED ? Optional.empty() : Optional.of(reply);
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("upstream deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
