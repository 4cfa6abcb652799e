package dev.gantry.dns;

/** Response codes of the DNS header (RFC 1035 §4.1.1; BADVERS from RFC 6891 §9). */
final class Rcode {
    static final int NOERROR = 0;
    static final int FORMERR = 1;
    static final int SERVFAIL = 2;
    static final int NOTIMP = 4;
    static final int REFUSED = 5;
    /** Extended: carried half in the OPT record's TTL, so only the OPT says BADVERS. */
    static final int BADVERS = 16;

    private Rcode() {
    }
}
