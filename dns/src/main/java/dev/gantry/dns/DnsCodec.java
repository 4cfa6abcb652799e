package dev.gantry.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes whole DNS messages (RFC 1035 §4). Decoding a hostile or cut-off message
 * throws {@code GantryException} of kind INVALID_ARGUMENT naming the offset that is wrong.
 */
final class DnsCodec {

    private DnsCodec() {
    }

    static Message decode(byte[] packet, int length) {
        WireReader in = new WireReader(packet, length);
        int id = in.u16();
        int flags = in.u16();
        int questionCount = in.u16();
        int answerCount = in.u16();
        int authorityCount = in.u16();
        int additionalCount = in.u16();
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < questionCount; i++) {
            questions.add(question(in));
        }
        List<ResourceRecord> answers = records(in, answerCount);
        List<ResourceRecord> authorities = records(in, authorityCount);
        List<ResourceRecord> additionals = records(in, additionalCount);
        if (in.remaining() > 0) {
            throw WireReader.malformed(in.remaining() + " bytes after the last record at offset " + in.position());
        }
        return new Message(id, flags, questions, answers, authorities, additionals);
    }

    /** The first question of a message, reading nothing after it: enough to match an answer to its query. */
    static Question firstQuestion(byte[] packet, int length) {
        WireReader in = new WireReader(packet, length);
        in.bytes(4);
        int questionCount = in.u16();
        if (questionCount == 0) {
            throw WireReader.malformed("no question section");
        }
        in.bytes(6);
        return question(in);
    }

    static byte[] encode(Message message) {
        WireWriter out = new WireWriter();
        out.u16(message.id());
        out.u16(message.flags());
        out.u16(message.questions().size());
        out.u16(message.answers().size());
        out.u16(message.authorities().size());
        out.u16(message.additionals().size());
        for (Question question : message.questions()) {
            out.name(question.name());
            out.u16(question.type());
            out.u16(question.questionClass());
        }
        for (List<ResourceRecord> section : List.of(message.answers(), message.authorities(), message.additionals())) {
            for (ResourceRecord record : section) {
                out.name(record.name());
                out.u16(record.type());
                out.u16(record.recordClass());
                out.u32(record.ttl());
                out.u16(record.dataLength());
                out.bytes(record.data());
            }
        }
        return out.toByteArray();
    }

    private static Question question(WireReader in) {
        String name = in.name();
        return new Question(name, in.u16(), in.u16());
    }

    private static List<ResourceRecord> records(WireReader in, int count) {
        // Each record takes at least 11 bytes, so a count larger than the rest of the packet
        // fails on the first missing byte instead of allocating for 65535 records.
        List<ResourceRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = in.name();
            int type = in.u16();
            int recordClass = in.u16();
            long ttl = in.u32();
            int dataLength = in.u16();
            records.add(new ResourceRecord(name, type, recordClass, ttl, in.bytes(dataLength)));
        }
        return records;
    }
}
