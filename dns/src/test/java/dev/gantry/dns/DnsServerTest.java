package dev.gantry.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DnsServerTest {
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final DnsServer.Settings FAST = new DnsServer.Settings(Duration.ofMillis(300), Duration.ofMillis(500), 256, 128);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final MapNameTable table = MapNameTable.network();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : cleanup.reversed()) {
            closeable.close();
        }
    }

    private DnsServer server(List<InetSocketAddress> upstreams) {
        DnsServer server = DnsServer.start(LOOPBACK_ANY_PORT, table, upstreams, FAST, Thread.ofVirtual().factory());
        cleanup.add(server);
        return server;
    }

    private FakeUpstream upstream(java.util.function.Function<Message, Optional<byte[]>> responder) throws IOException {
        FakeUpstream upstream = new FakeUpstream(responder);
        cleanup.add(upstream);
        return upstream;
    }

    /** A UDP port that nobody reads: queries to it vanish, as to a resolver that is down. */
    private InetSocketAddress blackHole() throws IOException {
        DatagramSocket socket = new DatagramSocket(LOOPBACK_ANY_PORT);
        cleanup.add(socket);
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** A port nothing listens on: the kernel answers port unreachable. */
    private static InetSocketAddress closedPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(LOOPBACK_ANY_PORT)) {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    private static List<InetAddress> addresses(Message reply) {
        return reply.answers().stream().map(r -> {
            try {
                return InetAddress.getByAddress(r.data());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void answersARecordsOfKnownNamesWithTtl600() throws IOException {
        DnsServer server = server(List.of());

        Message reply = Queries.udp(server.address(), Queries.query(0x4242, "web", RecordTypes.A));

        assertThat(reply.id()).isEqualTo(0x4242);
        assertThat(reply.isResponse()).isTrue();
        assertThat(reply.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.questions()).containsExactly(new Question("web", RecordTypes.A, RecordTypes.CLASS_IN));
        assertThat(addresses(reply)).containsExactly(InetAddress.ofLiteral("172.18.0.2"));
        assertThat(reply.answers().getFirst().ttl()).isEqualTo(600);
        assertThat(reply.answers().getFirst().name()).isEqualTo("web");
    }

    @Test
    void namesAreLowercasedWithoutTrailingDotAndKeepTheClientsSpellingInTheAnswer() throws IOException {
        DnsServer server = server(List.of());

        Message reply = Queries.udp(server.address(), Queries.query(1, "FrontEnd.", RecordTypes.A));

        assertThat(table.asked()).containsExactly("frontend");
        assertThat(reply.answers()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("FrontEnd"));
        assertThat(addresses(reply)).containsExactly(InetAddress.ofLiteral("172.18.0.2"));
    }

    @Test
    void aaaaOfAnIpv4OnlyNameIsAnsweredEmptyAndNeverForwarded() throws IOException {
        FakeUpstream upstream = upstream(FakeUpstream.answering(0));
        DnsServer server = server(List.of(upstream.address()));

        Message reply = Queries.udp(server.address(), Queries.query(2, "web", RecordTypes.AAAA));

        assertThat(reply.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.answers()).isEmpty();
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aaaaAndAOfADualStackNameAnswerEachFamily() throws IOException {
        DnsServer server = server(List.of());

        Message six = Queries.udp(server.address(), Queries.query(3, "db", RecordTypes.AAAA));
        Message four = Queries.udp(server.address(), Queries.query(4, "db", RecordTypes.A));

        assertThat(six.answers()).singleElement().satisfies(r -> assertThat(r.type()).isEqualTo(RecordTypes.AAAA));
        assertThat(addresses(six)).containsExactly(InetAddress.ofLiteral("fd00:18::3"));
        assertThat(addresses(four)).containsExactly(InetAddress.ofLiteral("172.18.0.3"));
    }

    @Test
    void otherTypesOfOurNamesAreAnsweredEmptyHere() throws IOException {
        FakeUpstream upstream = upstream(FakeUpstream.answering(0));
        DnsServer server = server(List.of(upstream.address()));

        Message reply = Queries.udp(server.address(), Queries.query(5, "web", 15));

        assertThat(reply.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.answers()).isEmpty();
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void ptrOfOurAddressNamesTheContainerAndOthersAreForwarded() throws IOException {
        FakeUpstream upstream = upstream(FakeUpstream.answering(0));
        DnsServer server = server(List.of(upstream.address()));

        Message ours = Queries.udp(server.address(), Queries.query(6, "2.0.18.172.in-addr.arpa", RecordTypes.PTR));
        Message theirs = Queries.udp(server.address(), Queries.query(7, "9.9.18.172.in-addr.arpa", RecordTypes.PTR));

        assertThat(ours.answers()).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(RecordTypes.PTR);
            assertThat(new WireReader(r.data(), r.dataLength()).name()).isEqualTo("web.gantry-net");
        });
        assertThat(theirs.id()).isEqualTo(7);
        assertThat(upstream.received()).singleElement()
                .satisfies(r -> assertThat(r.query().questions().getFirst().name()).isEqualTo("9.9.18.172.in-addr.arpa"));
    }

    @Test
    void unknownNamesAreForwardedAndAnsweredWithTheClientsId() throws IOException {
        FakeUpstream upstream = upstream(FakeUpstream.answering(0));
        DnsServer server = server(List.of(upstream.address()));

        Message reply = Queries.udp(server.address(), Queries.query(0xABCD, "example.org", RecordTypes.A));

        assertThat(reply.id()).isEqualTo(0xABCD);
        assertThat(addresses(reply)).containsExactly(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(upstream.received()).singleElement().satisfies(r -> {
            assertThat(r.transport()).isEqualTo(Transport.UDP);
            assertThat(r.query().questions().getFirst().name()).isEqualTo("example.org");
        });
    }

    @Test
    void truncatedUpstreamAnswerKeepsTcOverUdp() throws IOException {
        FakeUpstream upstream = upstream(FakeUpstream.answering(Message.TC));
        DnsServer server = server(List.of(upstream.address()));

        Message reply = Queries.udp(server.address(), Queries.query(8, "big.example.org", 16));

        assertThat(reply.truncated()).isTrue();
        assertThat(reply.id()).isEqualTo(8);
    }

    @Test
    void forwardedAnswerTooBigForTheClientsDatagramIsTruncatedButFitsItsEdnsSize() throws IOException {
        FakeUpstream upstream = upstream(query -> {
            List<ResourceRecord> many = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                many.add(new ResourceRecord("wide.example.org", RecordTypes.A, RecordTypes.CLASS_IN, 30, new byte[] {10, 2, 0, (byte) i}));
            }
            return Optional.of(DnsCodec.encode(new Message(query.id(), Message.QR | Message.RA, query.questions(), many,
                    List.of(), query.additionals())));
        });
        DnsServer server = server(List.of(upstream.address()));

        Message classic = Queries.udp(server.address(), Queries.query(60, "wide.example.org", RecordTypes.A));
        Message edns = Queries.udp(server.address(), Queries.withOpt(Queries.query(61, "wide.example.org", RecordTypes.A), 4096, 0));

        assertThat(classic.truncated()).isTrue();
        assertThat(classic.answers()).isEmpty();
        assertThat(classic.id()).isEqualTo(60);
        assertThat(edns.truncated()).isFalse();
        assertThat(edns.answers()).hasSize(100);
        assertThat(upstream.received()).last().satisfies(r -> assertThat(r.query().opt()).isPresent());
    }

    @Test
    void failingNameTableGivesServfailAndTheServerKeepsServing() throws IOException {
        NameTable broken = name -> {
            if (name.equals("boom")) {
                throw new IllegalStateException("table is being rebuilt");
            }
            return List.of(InetAddress.ofLiteral("172.18.0.9"));
        };
        DnsServer server = DnsServer.start(LOOPBACK_ANY_PORT, broken, List.of(), FAST, Thread.ofVirtual().factory());
        cleanup.add(server);

        assertThat(Queries.udp(server.address(), Queries.query(62, "boom", RecordTypes.A)).rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(Queries.udp(server.address(), Queries.query(63, "fine", RecordTypes.A)).answers()).hasSize(1);
    }

    @Test
    void replyWithAnotherIdOrQuestionIsIgnoredUntilTheTimeout() throws IOException {
        FakeUpstream spoofer = upstream(query -> Optional.of(DnsCodec.encode(new Message(query.id() ^ 1,
                Message.QR, query.questions(), List.of(), List.of(), List.of()))));
        FakeUpstream wrongQuestion = upstream(query -> Optional.of(DnsCodec.encode(new Message(query.id(),
                Message.QR, List.of(new Question("evil.example", RecordTypes.A, RecordTypes.CLASS_IN)), List.of(), List.of(), List.of()))));
        DnsServer server = server(List.of(spoofer.address(), wrongQuestion.address()));

        Message reply = Queries.udp(server.address(), Queries.query(9, "example.org", RecordTypes.A));

        assertThat(reply.rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(spoofer.received()).hasSize(1);
        assertThat(wrongQuestion.received()).hasSize(1);
    }

    @Test
    void deadUpstreamGivesServfailWithinTheTimeout() throws IOException {
        DnsServer server = server(List.of(blackHole()));

        long start = System.nanoTime();
        Message reply = Queries.udp(server.address(), Queries.query(10, "example.org", RecordTypes.A));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(reply.rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(reply.id()).isEqualTo(10);
        assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofMillis(1_500));
    }

    @Test
    void secondUpstreamAnswersWhenTheFirstIsSilentOrRefusing() throws IOException {
        FakeUpstream second = upstream(FakeUpstream.answering(0));
        FakeUpstream refusing = upstream(query -> Optional.of(DnsCodec.encode(new Message(query.id(),
                Message.QR | Rcode.REFUSED, query.questions(), List.of(), List.of(), List.of()))));
        DnsServer server = server(List.of(blackHole(), closedPort(), refusing.address(), second.address()));

        Message reply = Queries.udp(server.address(), Queries.query(11, "example.org", RecordTypes.A));

        assertThat(reply.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(reply)).containsExactly(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(refusing.received()).hasSize(1);
    }

    @Test
    void forwardsBeyondTheCapAreAnsweredServfailAtOnce() throws Exception {
        InetSocketAddress silent = blackHole();
        DnsServer server = DnsServer.start(LOOPBACK_ANY_PORT, table, List.of(silent),
                new DnsServer.Settings(Duration.ofSeconds(3), Duration.ofSeconds(1), 1, 4), Thread.ofVirtual().factory());
        cleanup.add(server);
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                Queries.udpRaw(server.address(), DnsCodec.encode(Queries.query(70, "slow.example.org", RecordTypes.A)), Duration.ofSeconds(1));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(300);

        long start = System.nanoTime();
        Message rejected = Queries.udp(server.address(), Queries.query(71, "other.example.org", RecordTypes.A));

        assertThat(rejected.rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        server.close();
        waiting.join(5_000);
        assertThat(waiting.isAlive()).isFalse();
    }

    @Test
    void noUpstreamsGivesServfail() throws IOException {
        DnsServer server = server(List.of());

        assertThat(Queries.udp(server.address(), Queries.query(12, "example.org", RecordTypes.A)).rcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void tcpServesSeveralQueriesOnOneConnectionAndForwardsOverTcp() throws IOException {
        FakeUpstream upstream = upstream(FakeUpstream.answering(0));
        DnsServer server = server(List.of(upstream.address()));

        List<Message> replies = Queries.tcp(server.address(), List.of(
                Queries.query(20, "web", RecordTypes.A),
                Queries.query(21, "example.org", RecordTypes.A),
                Queries.query(22, "db", RecordTypes.AAAA)));

        assertThat(replies).extracting(Message::id).containsExactly(20, 21, 22);
        assertThat(addresses(replies.get(0))).containsExactly(InetAddress.ofLiteral("172.18.0.2"));
        assertThat(addresses(replies.get(1))).containsExactly(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(addresses(replies.get(2))).containsExactly(InetAddress.ofLiteral("fd00:18::3"));
        assertThat(upstream.received()).singleElement().satisfies(r -> assertThat(r.transport()).isEqualTo(Transport.TCP));
    }

    @Test
    void malformedTcpMessageGetsFormerrAndAnUnreadableOneEndsTheConnection() throws IOException {
        DnsServer server = server(List.of());
        byte[] pointerLoop = DnsCodecTest.concat(DnsCodecTest.header(1), new byte[] {1, 'a', (byte) 0xC0, 12, 0, 1, 0, 1});
        try (Socket socket = new Socket()) {
            socket.connect(server.address(), 2_000);
            socket.setSoTimeout(5_000);
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());

            socket.getOutputStream().write(TcpFraming.frame(pointerLoop));
            byte[] reply = TcpFraming.read(in).orElseThrow();
            socket.getOutputStream().write(TcpFraming.frame(new byte[] {1, 2, 3}));

            assertThat(DnsCodec.decode(reply, reply.length).rcode()).isEqualTo(Rcode.FORMERR);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(Queries.tcp(server.address(), List.of(Queries.query(23, "web", RecordTypes.A))).getFirst().answers()).hasSize(1);
    }

    @Test
    void clientThatNeverReadsLosesItsConnectionAndItsSlot() throws Exception {
        List<InetAddress> many = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            many.add(InetAddress.ofLiteral("10.3.0." + i));
        }
        DnsServer server = DnsServer.start(LOOPBACK_ANY_PORT, new MapNameTable(Map.of("scaled", many), Map.of()),
                List.of(), new DnsServer.Settings(Duration.ofMillis(300), Duration.ofMillis(500), 16, 1), Thread.ofVirtual().factory());
        cleanup.add(server);
        Socket greedy = new Socket();
        cleanup.add(greedy);
        greedy.setReceiveBufferSize(4096);
        greedy.connect(server.address(), 2_000);
        byte[] frame = TcpFraming.frame(DnsCodec.encode(Queries.query(80, "scaled", RecordTypes.A)));
        // About 1 KB of answer per 30-byte query: 20 MB of answers nobody reads. The writer
        // blocks once the server stops reading, so it runs on its own thread.
        Thread flood = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 20_000; i++) {
                    greedy.getOutputStream().write(frame);
                }
            } catch (IOException closedByServer) {
                // Expected: the server gave up on this connection.
            }
        });
        cleanup.add(() -> flood.join(5_000));
        Thread.sleep(1_500);

        List<Message> replies = Queries.tcp(server.address(), List.of(Queries.query(81, "scaled", RecordTypes.A)));

        assertThat(replies.getFirst().answers()).hasSize(60);
    }

    @Test
    void idleTcpConnectionIsClosedByTheServer() throws IOException {
        DnsServer server = server(List.of());
        try (Socket socket = new Socket()) {
            socket.connect(server.address(), 2_000);
            socket.setSoTimeout(5_000);
            long start = System.nanoTime();

            int read = socket.getInputStream().read();

            assertThat(read).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
        }
    }

    @Test
    void largeLocalAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
        List<InetAddress> many = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            many.add(InetAddress.ofLiteral("10.1.0." + i));
        }
        DnsServer server = DnsServer.start(LOOPBACK_ANY_PORT, new MapNameTable(Map.of("scaled", many), Map.of()),
                List.of(), FAST, Thread.ofVirtual().factory());
        cleanup.add(server);

        Message udp = Queries.udp(server.address(), Queries.query(30, "scaled", RecordTypes.A));
        Message tcp = Queries.tcp(server.address(), List.of(Queries.query(31, "scaled", RecordTypes.A))).getFirst();
        Message edns = Queries.udp(server.address(), Queries.withOpt(Queries.query(32, "scaled", RecordTypes.A), 4096, 0));

        assertThat(udp.truncated()).isTrue();
        assertThat(udp.answers()).isEmpty();
        assertThat(tcp.truncated()).isFalse();
        assertThat(tcp.answers()).hasSize(60);
        assertThat(edns.truncated()).isFalse();
        assertThat(edns.answers()).hasSize(60);
        assertThat(edns.opt()).hasValueSatisfying(o -> assertThat(o.recordClass()).isEqualTo(1232));
    }

    @Test
    void unknownEdnsVersionIsAnsweredBadvers() throws IOException {
        DnsServer server = server(List.of());

        Message reply = Queries.udp(server.address(), Queries.withOpt(Queries.query(33, "web", RecordTypes.A), 1232, 1L << 16));

        assertThat(reply.answers()).isEmpty();
        assertThat(reply.opt()).hasValueSatisfying(o -> assertThat(o.ttl() >>> 24).isEqualTo(Rcode.BADVERS >> 4));
    }

    @Test
    void malformedQueriesGetFormerrAndTheServerKeepsServing() throws IOException {
        DnsServer server = server(List.of());
        byte[] pointerLoop = DnsCodecTest.concat(DnsCodecTest.header(1), new byte[] {1, 'a', (byte) 0xC0, 12, 0, 1, 0, 1});
        byte[] noQuestion = DnsCodecTest.header(0);
        byte[] twoQuestions = DnsCodecTest.concat(DnsCodecTest.header(2), new byte[] {0, 0, 1, 0, 1, 0, 0, 1, 0, 1});
        byte[] cut = java.util.Arrays.copyOf(DnsCodec.encode(Queries.query(0x1234, "example.org", RecordTypes.A)), 20);

        for (byte[] packet : List.of(pointerLoop, noQuestion, twoQuestions, cut)) {
            byte[] raw = Queries.udpRaw(server.address(), packet, Duration.ofSeconds(5)).orElseThrow();
            Message reply = DnsCodec.decode(raw, raw.length);
            assertThat(reply.id()).isEqualTo(0x1234);
            assertThat(reply.rcode()).isEqualTo(Rcode.FORMERR);
            assertThat(reply.isResponse()).isTrue();
        }
        assertThat(Queries.udp(server.address(), Queries.query(40, "web", RecordTypes.A)).answers()).hasSize(1);
    }

    @Test
    void unreadableHeadersAndResponsesAreDropped() throws IOException {
        DnsServer server = server(List.of());
        byte[] response = DnsCodec.encode(new Message(41, Message.QR, List.of(new Question("web", RecordTypes.A, RecordTypes.CLASS_IN)),
                List.of(), List.of(), List.of()));

        assertThat(Queries.udpRaw(server.address(), new byte[] {1, 2, 3}, Duration.ofMillis(300))).isEmpty();
        assertThat(Queries.udpRaw(server.address(), response, Duration.ofMillis(300))).isEmpty();
        assertThat(Queries.udp(server.address(), Queries.query(42, "web", RecordTypes.A)).answers()).hasSize(1);
    }

    @Test
    void concurrentQueriesAreAllAnswered() throws Exception {
        FakeUpstream upstream = upstream(FakeUpstream.answering(0));
        DnsServer server = server(List.of(upstream.address()));
        int clients = 16;
        int perClient = 200;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < perClient; i++) {
                        String name = i % 4 == 0 ? "host" + i + ".example.org" : "web";
                        int id = client * perClient + i;
                        Message reply = Queries.udp(server.address(), Queries.query(id, name, RecordTypes.A));
                        assertThat(reply.id()).isEqualTo(id);
                        assertThat(reply.answers()).hasSize(1);
                        answered.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("dns: %d UDP queries (1/4 forwarded) from %d clients in %.2f s: %.0f queries/s%n",
                answered.get(), clients, seconds, answered.get() / seconds);

        assertThat(failures).isEmpty();
        assertThat(answered.get()).isEqualTo(clients * perClient);
    }

    @Test
    void bindingATakenAddressFailsUnavailableNamingIt() throws IOException {
        DnsServer first = server(List.of());

        assertThatThrownBy(() -> DnsServer.start(first.address(), table, List.of()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("cannot bind the DNS server to 127.0.0.1:" + first.address().getPort());
    }

    @Test
    void closeEndsEveryThreadReleasesThePortsAndIsIdempotent() throws Exception {
        List<Thread> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        ThreadFactory virtual = Thread.ofVirtual().factory();
        ThreadFactory recording = task -> {
            Thread thread = virtual.newThread(task);
            started.add(thread);
            return thread;
        };
        InetSocketAddress silent = blackHole();
        DnsServer server = DnsServer.start(LOOPBACK_ANY_PORT, table, List.of(silent),
                new DnsServer.Settings(Duration.ofSeconds(30), Duration.ofSeconds(30), 16, 16), recording);
        InetSocketAddress address = server.address();
        Socket idle = new Socket();
        cleanup.add(idle);
        idle.connect(address, 2_000);
        Queries.udpRaw(address, DnsCodec.encode(Queries.query(50, "example.org", RecordTypes.A)), Duration.ofMillis(200));

        long start = System.nanoTime();
        server.close();
        server.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(started).hasSizeGreaterThanOrEqualTo(4);
        assertThat(started).noneMatch(Thread::isAlive);
        assertThat(server.address()).isEqualTo(address);
        try (DatagramSocket udp = new DatagramSocket(address); ServerSocket tcp = new ServerSocket()) {
            tcp.bind(address);
            assertThat(udp.getLocalPort()).isEqualTo(address.getPort());
        }
        InputStream in = idle.getInputStream();
        assertThat(in.read()).isEqualTo(-1);
    }
}
