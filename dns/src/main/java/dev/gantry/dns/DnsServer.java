package dev.gantry.dns;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's DNS server for one user-defined network: it answers the names of a
 * {@link NameTable} (A, AAAA, PTR; TTL 600 s) and forwards every other query to the upstream
 * resolvers, in order. It listens on UDP and TCP on the same address and port, serving each
 * datagram and each connection on its own virtual thread.
 *
 * <p>Hostile input is answered FORMERR when its header can be read and dropped otherwise; no
 * packet can stop the server. {@link #close()} closes the sockets and waits for every thread the
 * server started.
 */
public final class DnsServer implements AutoCloseable {
    /** Tried again when the TCP port is taken after an ephemeral UDP port was picked. */
    private static final int EPHEMERAL_BIND_ATTEMPTS = 8;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(DnsServer.class.getName());
    private static final Duration ERROR_PAUSE = Duration.ofMillis(20);

    private final InetSocketAddress address;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final QueryHandler handler;
    private final Settings settings;
    private final StartedThreads started;
    private final ExecutorService threads;
    private final Semaphore connectionSlots;
    /** Each open connection, with the System.nanoTime() its pending write began (0: not writing). */
    private final Map<Socket, AtomicLong> connections = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Tunables, with the defaults used by {@link #start(InetSocketAddress, NameTable, List)}.
     *
     * @param upstreamTimeout how long each upstream gets before the next is asked
     * @param tcpIdleTimeout how long a TCP connection may sit between (or inside) messages
     * @param maxForwards forwards waiting on upstreams at once; more are answered SERVFAIL
     * @param maxConnections open TCP connections; more are closed at once
     */
    record Settings(Duration upstreamTimeout, Duration tcpIdleTimeout, int maxForwards, int maxConnections) {
        // RFC 7766 §6.2.3 suggests idle timeouts of seconds; docker's resolver gives upstreams 2 s.
        static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(10), 256, 128);
    }

    private DnsServer(DatagramSocket udp, ServerSocket tcp, QueryHandler handler, Settings settings, ThreadFactory factory) {
        this.address = (InetSocketAddress) udp.getLocalSocketAddress();
        this.udp = udp;
        this.tcp = tcp;
        this.handler = handler;
        this.settings = settings;
        this.started = new StartedThreads(factory);
        this.threads = Executors.newThreadPerTaskExecutor(started);
        this.connectionSlots = new Semaphore(settings.maxConnections());
    }

    /**
     * Binds UDP and TCP on {@code bind} (port 0 picks one free port for both) and starts serving.
     * Upstreams equal to the bound address are dropped: forwarding to ourselves would loop.
     *
     * @throws GantryException UNAVAILABLE naming the address when it cannot be bound
     */
    public static DnsServer start(InetSocketAddress bind, NameTable names, List<InetSocketAddress> upstreams) {
        return start(bind, names, upstreams, Settings.DEFAULTS, Thread.ofVirtual().name("gantry-dns-", 0).factory());
    }

    static DnsServer start(InetSocketAddress bind, NameTable names, List<InetSocketAddress> upstreams,
                           Settings settings, ThreadFactory factory) {
        if (bind.isUnresolved()) {
            throw GantryException.invalid("DNS server address " + bind.getHostString() + " is not an IP address");
        }
        Sockets sockets = bindBoth(bind);
        InetSocketAddress bound = (InetSocketAddress) sockets.udp().getLocalSocketAddress();
        List<InetSocketAddress> others = upstreams.stream().filter(u -> !u.equals(bound)).toList();
        QueryHandler handler = new QueryHandler(names,
                new Forwarder(others, settings.upstreamTimeout(), settings.maxForwards()));
        DnsServer server = new DnsServer(sockets.udp(), sockets.tcp(), handler, settings, factory);
        server.threads.execute(server::receiveDatagrams);
        server.threads.execute(server::acceptConnections);
        server.threads.execute(server::closeStalledWriters);
        return server;
    }

    /** The bound address, with the port that was picked when port 0 was asked for. */
    public InetSocketAddress address() {
        return address;
    }

    /** Closes both sockets and every connection, interrupts pending forwards and waits for all threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        udp.close();
        closeQuietly(tcp);
        connections.keySet().forEach(DnsServer::closeQuietly);
        // Interrupting a virtual thread blocked on a socket closes that socket, so forwards
        // waiting on a silent upstream end now rather than at their deadline.
        threads.shutdownNow();
        try {
            if (!started.joinAll(CLOSE_WAIT)) {
                LOG.log(System.Logger.Level.WARNING, "DNS server " + text(address()) + ": threads still running "
                        + CLOSE_WAIT.toSeconds() + " s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Sockets(DatagramSocket udp, ServerSocket tcp) {
    }

    private static Sockets bindBoth(InetSocketAddress bind) {
        int attempts = bind.getPort() == 0 ? EPHEMERAL_BIND_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            DatagramSocket udp = null;
            try {
                udp = new DatagramSocket(bind);
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.bind(new InetSocketAddress(bind.getAddress(), udp.getLocalPort()), 128);
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                return new Sockets(udp, tcp);
            } catch (IOException e) {
                if (udp != null) {
                    udp.close();
                }
                if (!(e instanceof BindException) || attempt >= attempts) {
                    throw new GantryException(ErrorKind.UNAVAILABLE,
                            "cannot bind the DNS server to " + text(bind) + " (UDP and TCP): " + e.getMessage(), e);
                }
            }
        }
    }

    private void receiveDatagrams() {
        byte[] buffer = new byte[WireWriter.MAX_MESSAGE];
        while (!closed.get()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (udp.isClosed() || !pausedAfterError()) {
                    return;
                }
                continue;
            }
            byte[] query = Arrays.copyOf(buffer, packet.getLength());
            InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
            try {
                threads.execute(() -> answerDatagram(query, client));
            } catch (RejectedExecutionException closing) {
                return;
            }
        }
    }

    private void answerDatagram(byte[] query, InetSocketAddress client) {
        Optional<byte[]> response = handler.handle(query, query.length, Transport.UDP);
        if (response.isEmpty() || closed.get()) {
            return;
        }
        try {
            udp.send(new DatagramPacket(response.get(), response.get().length, client));
        } catch (IOException clientGone) {
            // A client that vanished gets nothing; nothing else depends on this datagram.
        }
    }

    private void acceptConnections() {
        while (!closed.get()) {
            Socket connection;
            try {
                connection = tcp.accept();
            } catch (IOException e) {
                if (tcp.isClosed() || !pausedAfterError()) {
                    return;
                }
                continue;
            }
            if (!connectionSlots.tryAcquire()) {
                closeQuietly(connection);
                continue;
            }
            connections.put(connection, new AtomicLong());
            try {
                threads.execute(() -> serveConnection(connection));
            } catch (RejectedExecutionException closing) {
                release(connection);
                return;
            }
            if (closed.get()) {
                closeQuietly(connection);
            }
        }
    }

    /**
     * A short pause after a failed receive or accept (out of descriptors, say), so a lasting
     * failure does not spin a core; false when close() interrupted it.
     */
    private static boolean pausedAfterError() {
        try {
            Thread.sleep(ERROR_PAUSE);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * A socket write has no timeout, so a client that sends queries and never reads its answers
     * would hold its connection (and its slot) forever once the buffers fill. Such writers get
     * the idle timeout too: their connection is closed, which ends the write.
     */
    private void closeStalledWriters() {
        long limit = settings.tcpIdleTimeout().toNanos();
        while (!closed.get()) {
            try {
                Thread.sleep(settings.tcpIdleTimeout().dividedBy(2));
            } catch (InterruptedException closing) {
                return;
            }
            long now = System.nanoTime();
            connections.forEach((connection, writingSince) -> {
                long since = writingSince.get();
                if (since != 0 && now - since > limit) {
                    closeQuietly(connection);
                }
            });
        }
    }

    /** RFC 7766: any number of queries per connection, answered in order, until the client closes or idles. */
    private void serveConnection(Socket connection) {
        try {
            connection.setSoTimeout((int) settings.tcpIdleTimeout().toMillis());
            DataInputStream in = new DataInputStream(new BufferedInputStream(connection.getInputStream()));
            OutputStream out = connection.getOutputStream();
            AtomicLong writingSince = connections.get(connection);
            while (!closed.get() && writingSince != null) {
                Optional<byte[]> query = TcpFraming.read(in);
                if (query.isEmpty()) {
                    return;
                }
                Optional<byte[]> response = handler.handle(query.get(), query.get().length, Transport.TCP);
                if (response.isEmpty()) {
                    // Without a readable header the stream may be out of step: end it.
                    return;
                }
                writingSince.set(System.nanoTime());
                out.write(TcpFraming.frame(response.get()));
                out.flush();
                writingSince.set(0);
            }
        } catch (IOException idleOrGone) {
            // Idle timeout, reset, or close(): the connection simply ends.
        } finally {
            release(connection);
        }
    }

    private void release(Socket connection) {
        closeQuietly(connection);
        if (connections.remove(connection) != null) {
            connectionSlots.release();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception alreadyClosed) {
            // Closing is all we wanted; a failure to close a socket leaves nothing to undo.
        }
    }

    /** {@code 127.0.0.1:53} or {@code [::1]:53}, as users write addresses. */
    static String text(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return "DnsServer[" + text(address()) + "]";
    }
}
