package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import java.io.ByteArrayOutputStream;

/**
 * A detach-key sequence in Docker's {@code --detach-keys} format: comma-separated keys, each a
 * single character or {@code ctrl-X} with X one of {@code a-z @ [ \ ] ^ _} (the ASCII control
 * codes 1-26 and 0, 27-31). Default ctrl-p,ctrl-q.
 */
public final class DetachKeys {
    public static final String DEFAULT = "ctrl-p,ctrl-q";

    private final byte[] keys;

    private DetachKeys(byte[] keys) {
        this.keys = keys;
    }

    /** Parses {@code spec} (null or empty: the default); INVALID_ARGUMENT naming a bad key. */
    public static DetachKeys parse(String spec) {
        String s = spec == null || spec.isEmpty() ? DEFAULT : spec;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : s.split(",", -1)) {
            out.write(code(key));
        }
        return new DetachKeys(out.toByteArray());
    }

    private static int code(String key) {
        if (key.length() == 1) {
            return key.charAt(0);
        }
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("ctrl-") && key.length() == 6) {
            char c = lower.charAt(5);
            if (c >= 'a' && c <= 'z') {
                return c - 'a' + 1;
            }
            int i = "@[\\]^_".indexOf(c);
            if (i == 0) {
                return 0;
            }
            if (i > 0) {
                return 26 + i;
            }
        }
        throw GantryException.invalid("detachKeys: invalid key '" + key + "' (expected a character or ctrl-<a-z @ [ \\ ] ^ _>)");
    }

    /** A scanner over one client's input: holds back a partial match until it completes or fails. */
    public Scanner scanner() {
        return new Scanner();
    }

    /** Stateful per input stream. */
    public final class Scanner {
        private int matched;

        /**
         * Scans {@code n} bytes of {@code buf}; writes the bytes to pass on into {@code out}
         * (a partial match at the end is held back) and returns true when the sequence completed
         * (bytes after it are dropped, as the attachment ends).
         */
        public boolean scan(byte[] buf, int n, ByteArrayOutputStream out) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == keys[matched]) {
                    if (++matched == keys.length) {
                        return true;
                    }
                    continue;
                }
                // Not the sequence after all: the held-back bytes were input.
                out.write(keys, 0, matched);
                matched = 0;
                if (b == keys[0]) {
                    matched = 1;
                } else {
                    out.write(b);
                }
            }
            return false;
        }
    }
}
