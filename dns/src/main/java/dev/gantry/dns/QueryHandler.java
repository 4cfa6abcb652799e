package dev.gantry.dns;

import dev.gantry.base.GantryException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns one query into its response: names of the {@link NameTable} are answered here, all else
 * goes through the {@link Forwarder}. The transport only matters for the size limit of UDP.
 */
final class QueryHandler {
    /** What docker's embedded server gives its own records. */
    static final long TTL_SECONDS = 600;
    /** RFC 1035 §4.2.1: the UDP limit for a client that did not say otherwise through EDNS0. */
    static final int CLASSIC_UDP_LIMIT = 512;
    /** What we advertise and the most we send over UDP: the DNS Flag Day 2020 size, no IP fragmentation. */
    static final int EDNS_UDP_LIMIT = 1232;

    private static final System.Logger LOG = System.getLogger(QueryHandler.class.getName());

    private final NameTable names;
    private final Forwarder forwarder;

    QueryHandler(NameTable names, Forwarder forwarder) {
        this.names = names;
        this.forwarder = forwarder;
    }

    /** The response to send, or empty to send nothing (unreadable header, or not a query at all). */
    Optional<byte[]> handle(byte[] packet, int length, Transport transport) {
        if (length < Message.HEADER_LENGTH) {
            return Optional.empty();
        }
        int id = ((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF);
        int flags = ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
        if ((flags & Message.QR) != 0) {
            // A response sent to a server: answering it could start a loop between two servers.
            return Optional.empty();
        }
        Message query;
        try {
            query = DnsCodec.decode(packet, length);
        } catch (GantryException malformed) {
            return Optional.of(DnsCodec.encode(errorReply(id, flags, List.of(), Rcode.FORMERR)));
        }
        if (query.opcode() != 0) {
            return Optional.of(DnsCodec.encode(errorReply(id, flags, query.questions(), Rcode.NOTIMP)));
        }
        // RFC 9619: a query holds exactly one question; RFC 6891 §6.1.1: at most one OPT.
        if (query.questions().size() != 1 || query.optRecords().size() > 1) {
            return Optional.of(DnsCodec.encode(errorReply(id, flags, List.of(), Rcode.FORMERR)));
        }
        Optional<ResourceRecord> opt = query.opt();
        if (opt.isPresent() && ednsVersion(opt.get()) != 0) {
            return Optional.of(DnsCodec.encode(withOpt(errorReply(id, flags, query.questions(), Rcode.NOERROR), Rcode.BADVERS)));
        }
        return Optional.of(respond(packet, length, query, transport));
    }

    private byte[] respond(byte[] packet, int length, Message query, Transport transport) {
        Question question = query.questions().getFirst();
        Optional<List<ResourceRecord>> local;
        try {
            local = answerLocally(question);
        } catch (RuntimeException tableFailure) {
            LOG.log(System.Logger.Level.WARNING, "name table failed for " + question.name(), tableFailure);
            return encodeLocal(query, errorReply(query.id(), query.flags(), query.questions(), Rcode.SERVFAIL));
        }
        if (local.isPresent()) {
            Message answer = new Message(query.id(),
                    Message.QR | Message.AA | (query.flags() & Message.RD) | Message.RA | Rcode.NOERROR,
                    query.questions(), local.get(), List.of(), List.of());
            return fitted(encodeLocal(query, answer), query, transport, Math.min(clientUdpLimit(query), EDNS_UDP_LIMIT));
        }
        byte[] raw = packet.length == length ? packet : Arrays.copyOf(packet, length);
        // The upstream saw the client's own OPT and sized its answer for it; only a misbehaving
        // upstream sends more than the client can take.
        return forwarder.forward(raw, question, transport)
                .map(reply -> fitted(reply, query, transport, clientUdpLimit(query)))
                .orElseGet(() -> encodeLocal(query, errorReply(query.id(), query.flags(), query.questions(), Rcode.SERVFAIL)));
    }

    /** The payload size the client accepts over UDP: 512 unless its OPT says more (RFC 6891 §6.2.5). */
    private static int clientUdpLimit(Message query) {
        return query.opt().map(o -> Math.max(CLASSIC_UDP_LIMIT, o.recordClass())).orElse(CLASSIC_UDP_LIMIT);
    }

    private static byte[] fitted(byte[] response, Message query, Transport transport, int udpLimit) {
        return transport == Transport.UDP && response.length > udpLimit ? truncated(response, query) : response;
    }

    /**
     * Our records for the question, or empty when the name is not ours. For a name of ours every
     * type is answered here, with no records when we have none of that type: an NXDOMAIN from
     * upstream would deny the name for all types in the client's negative cache (RFC 2308 §5),
     * and forwarding the AAAA query of an IPv4-only container only leaks and delays.
     */
    private Optional<List<ResourceRecord>> answerLocally(Question question) {
        if (question.questionClass() != RecordTypes.CLASS_IN || question.name().isEmpty()) {
            return Optional.empty();
        }
        String name = DomainNames.lowercase(question.name());
        if (question.type() == RecordTypes.PTR) {
            return ReverseNames.address(name)
                    .flatMap(names::reverse)
                    .map(target -> List.of(new ResourceRecord(question.name(), RecordTypes.PTR, RecordTypes.CLASS_IN,
                            TTL_SECONDS, WireWriter.uncompressedName(target))));
        }
        List<InetAddress> addresses = names.lookup(name);
        if (addresses == null || addresses.isEmpty()) {
            return Optional.empty();
        }
        List<ResourceRecord> records = new ArrayList<>();
        for (InetAddress address : addresses) {
            int type = address instanceof Inet6Address ? RecordTypes.AAAA : RecordTypes.A;
            boolean wanted = question.type() == type || question.type() == RecordTypes.ANY;
            if (wanted) {
                records.add(new ResourceRecord(question.name(), type, RecordTypes.CLASS_IN, TTL_SECONDS, address.getAddress()));
            }
        }
        return Optional.of(records);
    }

    private static Message errorReply(int id, int queryFlags, List<Question> questions, int rcode) {
        int flags = Message.QR | (queryFlags & (0xF << 11)) | (queryFlags & Message.RD) | Message.RA | rcode;
        return new Message(id, flags, questions, List.of(), List.of(), List.of());
    }

    /** Our own answers carry an OPT when the query did, as RFC 6891 §7 asks of an EDNS responder. */
    private static byte[] encodeLocal(Message query, Message reply) {
        return DnsCodec.encode(query.opt().isPresent() ? withOpt(reply, Rcode.NOERROR) : reply);
    }

    private static Message withOpt(Message reply, int extendedRcode) {
        ResourceRecord opt = new ResourceRecord("", RecordTypes.OPT, EDNS_UDP_LIMIT, (long) (extendedRcode >> 4) << 24, new byte[0]);
        List<ResourceRecord> additionals = new ArrayList<>(reply.additionals());
        additionals.add(opt);
        return new Message(reply.id(), reply.flags(), reply.questions(), reply.answers(), reply.authorities(), additionals);
    }

    private static int ednsVersion(ResourceRecord opt) {
        return (int) (opt.ttl() >> 16) & 0xFF;
    }

    /**
     * The header and question of a response too big for the client's datagram, flagged TC so the
     * client asks again over TCP (RFC 1035 §4.2.1, RFC 7766 §5).
     */
    private static byte[] truncated(byte[] response, Message query) {
        int flags = ((response[2] & 0xFF) << 8) | (response[3] & 0xFF);
        Message cut = new Message(query.id(), flags | Message.TC, query.questions(), List.of(), List.of(), List.of());
        return encodeLocal(query, cut);
    }
}
