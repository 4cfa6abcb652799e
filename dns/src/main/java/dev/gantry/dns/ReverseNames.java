package dev.gantry.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads the address out of a PTR query's name: {@code 4.3.2.1.in-addr.arpa} (RFC 1035 §3.5) and
 * the 32 reversed nibbles of {@code ….ip6.arpa} (RFC 3596 §2.5). A partial name (a whole /8
 * zone) is no address, so its query is forwarded.
 */
final class ReverseNames {
    private static final String IPV4_SUFFIX = ".in-addr.arpa";
    private static final String IPV6_SUFFIX = ".ip6.arpa";

    private ReverseNames() {
    }

    /** {@code name} is lowercased. */
    static Optional<InetAddress> address(String name) {
        if (name.endsWith(IPV4_SUFFIX)) {
            return bytes(name.substring(0, name.length() - IPV4_SUFFIX.length()), 4, 10, 255);
        }
        if (name.endsWith(IPV6_SUFFIX)) {
            return bytes(name.substring(0, name.length() - IPV6_SUFFIX.length()), 32, 16, 15);
        }
        return Optional.empty();
    }

    /** {@code count} labels, least significant first, each a number of the radix up to {@code max}. */
    private static Optional<InetAddress> bytes(String labels, int count, int radix, int max) {
        String[] parts = labels.split("\\.", -1);
        if (parts.length != count) {
            return Optional.empty();
        }
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            String part = parts[count - 1 - i];
            // Only canonical spellings: "010" or "+1" would otherwise name the same address.
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> Character.digit(c, radix) >= 0)) {
                return Optional.empty();
            }
            values[i] = Integer.parseInt(part, radix);
            if (values[i] > max) {
                return Optional.empty();
            }
        }
        byte[] address = new byte[radix == 10 ? 4 : 16];
        for (int i = 0; i < count; i++) {
            if (radix == 10) {
                address[i] = (byte) values[i];
            } else {
                address[i / 2] |= (byte) (i % 2 == 0 ? values[i] << 4 : values[i]);
            }
        }
        try {
            return Optional.of(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.length + " bytes was refused", e);
        }
    }
}
