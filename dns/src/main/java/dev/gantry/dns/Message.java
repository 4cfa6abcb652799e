package dev.gantry.dns;

import java.util.List;
import java.util.Optional;

/**
 * A DNS message (RFC 1035 §4.1): the header's id and flags word, and the four sections. The
 * section counts of the header are the sizes of the lists.
 */
record Message(int id, int flags, List<Question> questions, List<ResourceRecord> answers,
               List<ResourceRecord> authorities, List<ResourceRecord> additionals) {

    static final int HEADER_LENGTH = 12;
    static final int QR = 0x8000;
    static final int AA = 0x0400;
    static final int TC = 0x0200;
    static final int RD = 0x0100;
    static final int RA = 0x0080;

    Message {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authorities = List.copyOf(authorities);
        additionals = List.copyOf(additionals);
    }

    int opcode() {
        return (flags >> 11) & 0xF;
    }

    int rcode() {
        return flags & 0xF;
    }

    boolean isResponse() {
        return (flags & QR) != 0;
    }

    boolean truncated() {
        return (flags & TC) != 0;
    }

    /** The EDNS0 OPT pseudo-records of the additional section (RFC 6891 allows at most one). */
    List<ResourceRecord> optRecords() {
        return additionals.stream().filter(r -> r.type() == RecordTypes.OPT).toList();
    }

    Optional<ResourceRecord> opt() {
        return optRecords().stream().findFirst();
    }
}
