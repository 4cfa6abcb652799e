package dev.gantry.dns;

import dev.gantry.base.GantryException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes a DNS message, compressing repeated names with pointers to their first occurrence (RFC 1035 §4.1.4). */
final class WireWriter {
    static final int MAX_MESSAGE = 65_535;
    /** Pointers have 14 bits: a name written later than this offset cannot be pointed to. */
    private static final int MAX_POINTER_TARGET = 0x3FFF;

    private byte[] buffer = new byte[512];
    private int length;
    private final Map<String, Integer> nameOffsets = new HashMap<>();

    void u8(int value) {
        ensure(1);
        buffer[length++] = (byte) value;
    }

    void u16(int value) {
        ensure(2);
        buffer[length++] = (byte) (value >> 8);
        buffer[length++] = (byte) value;
    }

    void u32(long value) {
        u16((int) (value >>> 16) & 0xFFFF);
        u16((int) value & 0xFFFF);
    }

    void bytes(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buffer, length, value.length);
        length += value.length;
    }

    /** A name, ending in a pointer as soon as one of its suffixes was written before. */
    void name(String text) {
        List<byte[]> labels = DomainNames.labels(text);
        for (int i = 0; i < labels.size(); i++) {
            String suffix = suffixKey(labels, i);
            Integer earlier = nameOffsets.get(suffix);
            if (earlier != null) {
                u16(0xC000 | earlier);
                return;
            }
            if (length <= MAX_POINTER_TARGET) {
                nameOffsets.put(suffix, length);
            }
            u8(labels.get(i).length);
            bytes(labels.get(i));
        }
        u8(0);
    }

    /** A name without compression, for RDATA that other servers must read without our message (PTR targets). */
    static byte[] uncompressedName(String text) {
        WireWriter writer = new WireWriter();
        for (byte[] label : DomainNames.labels(text)) {
            writer.u8(label.length);
            writer.bytes(label);
        }
        writer.u8(0);
        return writer.toByteArray();
    }

    private static String suffixKey(List<byte[]> labels, int from) {
        StringBuilder key = new StringBuilder();
        for (int i = from; i < labels.size(); i++) {
            key.append(labels.get(i).length).append(':');
            DomainNames.appendLabel(key, labels.get(i), 0, labels.get(i).length);
        }
        return key.toString();
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    private void ensure(int more) {
        if (length + more > MAX_MESSAGE) {
            throw GantryException.invalid("DNS message would be longer than " + MAX_MESSAGE + " bytes");
        }
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(MAX_MESSAGE, Math.max(buffer.length * 2, length + more)));
        }
    }
}
