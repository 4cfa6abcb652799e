package dev.gantry.dns;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One resource record. {@code data} is the RDATA exactly as on the wire: the server never
 * re-encodes records it did not build, so names compressed inside another server's RDATA need
 * no decoding. For the EDNS0 OPT pseudo-record (RFC 6891 §6.1.2) {@code recordClass} is the
 * sender's UDP payload size and {@code ttl} holds the extended rcode, version and flags.
 */
record ResourceRecord(String name, int type, int recordClass, long ttl, byte[] data) {

    ResourceRecord {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    int dataLength() {
        return data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResourceRecord r && r.name.equals(name) && r.type == type
                && r.recordClass == recordClass && r.ttl == ttl && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + type * 17 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + recordClass + " " + ttl + " " + HexFormat.of().formatHex(data);
    }
}
