package dev.gantry.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The key sequence that detaches a client from a container without stopping it: docker's
 * {@code ctrl-p,ctrl-q} by default, or {@code --detach-keys} (comma-separated: a letter, or
 * {@code ctrl-X} for X in {@code a-z @ [ \ ] ^ _}). {@link #feed} scans the input as it is
 * forwarded: bytes that begin the sequence are held back and let through when it breaks.
 */
public final class DetachKeys {
    private final byte[] sequence;
    private int matched;

    public DetachKeys(byte[] sequence) {
        this.sequence = sequence;
    }

    public static DetachKeys parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            return new DetachKeys(new byte[] {0x10, 0x11});
        }
        List<Byte> keys = new ArrayList<>();
        for (String k : spec.split(",")) {
            if (k.length() == 1) {
                keys.add((byte) k.charAt(0));
            } else if (k.startsWith("ctrl-") && k.length() == 6) {
                char c = Character.toLowerCase(k.charAt(5));
                if (c >= 'a' && c <= 'z') {
                    keys.add((byte) (c - 'a' + 1));
                } else if ("@[\\]^_".indexOf(c) >= 0) {
                    keys.add((byte) ("@[\\]^_".indexOf(c) == 0 ? 0 : 27 + "[\\]^_".indexOf(c)));
                } else {
                    throw new UsageException("invalid detach keys '" + spec + "': unknown key " + k);
                }
            } else {
                throw new UsageException("invalid detach keys '" + spec + "': use keys like ctrl-p,ctrl-q");
            }
        }
        byte[] b = new byte[keys.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = keys.get(i);
        }
        return new DetachKeys(b);
    }

    /** What {@link #feed} decided: the bytes to forward, and whether the sequence completed. */
    public record Fed(byte[] forward, int length, boolean detach) {}

    /** Scans {@code n} bytes of input; bytes after a completed sequence are dropped. */
    public Fed feed(byte[] in, int n) {
        byte[] out = new byte[n + sequence.length];
        int len = 0;
        for (int i = 0; i < n; i++) {
            byte b = in[i];
            if (b == sequence[matched]) {
                matched++;
                if (matched == sequence.length) {
                    matched = 0;
                    return new Fed(out, len, true);
                }
                continue;
            }
            // The sequence broke: what was held back goes through, then this byte is scanned again.
            if (matched > 0) {
                System.arraycopy(sequence, 0, out, len, matched);
                len += matched;
                matched = 0;
                if (b == sequence[0]) {
                    matched = 1;
                    continue;
                }
            }
            out[len++] = b;
        }
        return new Fed(out, len, false);
    }
}
