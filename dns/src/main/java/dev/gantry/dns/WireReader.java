package dev.gantry.dns;

import dev.gantry.base.GantryException;

/**
 * Reads a DNS message from bytes that nobody vouches for. Every read is bounds-checked and every
 * failure is a {@link GantryException} of kind INVALID_ARGUMENT: a hostile packet can make the
 * server answer FORMERR, never throw anything else, never loop.
 */
final class WireReader {
    /**
     * A name of at most 255 bytes holds at most 127 labels, so a longer chain of pointers can
     * only be a loop or padding meant to burn time.
     */
    private static final int MAX_POINTERS = 127;

    private final byte[] data;
    private final int limit;
    private int position;

    WireReader(byte[] data, int length) {
        this.data = data;
        this.limit = Math.min(length, data.length);
    }

    int position() {
        return position;
    }

    int remaining() {
        return limit - position;
    }

    int u8() {
        need(position, 1);
        return data[position++] & 0xFF;
    }

    int u16() {
        need(position, 2);
        int value = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    long u32() {
        long high = u16();
        return (high << 16) | u16();
    }

    byte[] bytes(int length) {
        need(position, length);
        byte[] out = new byte[length];
        System.arraycopy(data, position, out, 0, length);
        position += length;
        return out;
    }

    /**
     * A possibly compressed name (RFC 1035 §4.1.4). A pointer must point before itself and the
     * chain is capped, so pointer loops end; the expanded name is capped at 255 bytes.
     */
    String name() {
        StringBuilder text = new StringBuilder();
        int at = position;
        int resumeAt = -1;
        int wireLength = 0;
        int pointers = 0;
        while (true) {
            need(at, 1);
            int length = data[at] & 0xFF;
            int kind = length & 0xC0;
            if (kind == 0xC0) {
                need(at, 2);
                int target = ((length & 0x3F) << 8) | (data[at + 1] & 0xFF);
                if (target >= at) {
                    throw malformed("compression pointer at offset " + at + " does not point backwards (to " + target + ")");
                }
                if (++pointers > MAX_POINTERS) {
                    throw malformed("name at offset " + position + " follows more than " + MAX_POINTERS + " compression pointers");
                }
                if (resumeAt < 0) {
                    resumeAt = at + 2;
                }
                at = target;
                continue;
            }
            if (kind != 0) {
                // 0x40 and 0x80 are the extended label types of RFC 6891 §5 / RFC 2673, long
                // obsolete; read as lengths they are labels of 64..191 bytes, which RFC 1035 forbids.
                throw malformed("label at offset " + at + " has length or type byte 0x" + Integer.toHexString(length)
                        + " (labels are at most " + DomainNames.MAX_LABEL + " bytes)");
            }
            wireLength += length + 1;
            if (wireLength > DomainNames.MAX_NAME) {
                throw malformed("name at offset " + position + " is longer than " + DomainNames.MAX_NAME + " bytes");
            }
            if (length == 0) {
                position = resumeAt >= 0 ? resumeAt : at + 1;
                return text.toString();
            }
            need(at + 1, length);
            if (!text.isEmpty()) {
                text.append('.');
            }
            DomainNames.appendLabel(text, data, at + 1, length);
            at += length + 1;
        }
    }

    private void need(int at, int count) {
        if (at < 0 || count < 0 || at + count > limit) {
            throw malformed("message ends at byte " + limit + ", " + count + " more needed at offset " + at);
        }
    }

    static GantryException malformed(String detail) {
        return GantryException.invalid("DNS message: " + detail);
    }
}
