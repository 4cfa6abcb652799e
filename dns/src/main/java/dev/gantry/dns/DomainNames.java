package dev.gantry.dns;

import dev.gantry.base.GantryException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between a name's labels on the wire and its text: labels joined by dots, no trailing
 * dot, the root as the empty string. A label may hold any byte, so the text escapes the dot, the
 * backslash and every byte outside printable ASCII the way master files do (RFC 1035 §5.1:
 * {@code \.}, {@code \\}, {@code \DDD}); text to wire and back is then exact.
 */
final class DomainNames {
    static final int MAX_LABEL = 63;
    /** Wire length, counting every length byte and the root's zero byte (RFC 1035 §3.1). */
    static final int MAX_NAME = 255;

    private DomainNames() {
    }

    static void appendLabel(StringBuilder out, byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            int b = data[i] & 0xFF;
            if (b == '.' || b == '\\') {
                out.append('\\').append((char) b);
            } else if (b <= 0x20 || b >= 0x7F) {
                out.append('\\').append((char) ('0' + b / 100)).append((char) ('0' + b / 10 % 10))
                        .append((char) ('0' + b % 10));
            } else {
                out.append((char) b);
            }
        }
    }

    /** The labels of {@code text}, each as raw bytes; a single trailing dot is accepted. */
    static List<byte[]> labels(String text) {
        List<byte[]> labels = new ArrayList<>();
        if (text.isEmpty() || text.equals(".")) {
            return labels;
        }
        ByteArrayOutputStream label = new ByteArrayOutputStream();
        int wireLength = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                wireLength += finishLabel(text, label, labels);
                i++;
                if (i == text.length()) {
                    return checked(text, labels, wireLength);
                }
                continue;
            }
            if (c == '\\') {
                i = unescape(text, i, label);
                continue;
            }
            if (c > 0x7F) {
                throw GantryException.invalid("DNS name " + text + ": character '" + c + "' is not ASCII (escape it as \\DDD)");
            }
            label.write(c);
            i++;
        }
        wireLength += finishLabel(text, label, labels);
        return checked(text, labels, wireLength);
    }

    private static List<byte[]> checked(String text, List<byte[]> labels, int wireLength) {
        if (wireLength > MAX_NAME) {
            throw GantryException.invalid("DNS name " + text + " is longer than " + MAX_NAME + " bytes on the wire");
        }
        return labels;
    }

    private static int finishLabel(String text, ByteArrayOutputStream label, List<byte[]> labels) {
        if (label.size() == 0) {
            throw GantryException.invalid("DNS name " + text + " has an empty label");
        }
        if (label.size() > MAX_LABEL) {
            throw GantryException.invalid("DNS name " + text + " has a label longer than " + MAX_LABEL + " bytes");
        }
        labels.add(label.toByteArray());
        int wire = label.size() + 1;
        label.reset();
        return wire;
    }

    private static int unescape(String text, int backslash, ByteArrayOutputStream label) {
        int i = backslash + 1;
        if (i >= text.length()) {
            throw GantryException.invalid("DNS name " + text + " ends with a lone backslash");
        }
        if (i + 2 < text.length() && isDigit(text.charAt(i)) && isDigit(text.charAt(i + 1)) && isDigit(text.charAt(i + 2))) {
            int value = Integer.parseInt(text, i, i + 3, 10);
            if (value > 255) {
                throw GantryException.invalid("DNS name " + text + ": escape \\" + text.substring(i, i + 3) + " is above 255");
            }
            label.write(value);
            return i + 3;
        }
        char c = text.charAt(i);
        if (c > 0x7F) {
            throw GantryException.invalid("DNS name " + text + ": character '" + c + "' is not ASCII (escape it as \\DDD)");
        }
        label.write(c);
        return i + 1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII-only lowercasing: DNS compares names case-insensitively for A-Z only (RFC 4343 §3). */
    static String lowercase(String name) {
        char[] chars = name.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }
}
