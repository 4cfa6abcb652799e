package dev.gantry.dns;

/** The numeric values of the DNS fields this server reads or writes (RFC 1035 §3.2, RFC 3596, RFC 6891). */
final class RecordTypes {
    static final int A = 1;
    static final int PTR = 12;
    static final int AAAA = 28;
    static final int OPT = 41;
    static final int ANY = 255;

    static final int CLASS_IN = 1;

    private RecordTypes() {
    }
}
