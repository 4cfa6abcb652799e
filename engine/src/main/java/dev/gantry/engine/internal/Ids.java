package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Docker-style identifiers: 64 lower-case hex digits from 32 random bytes. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FULL = Pattern.compile("[0-9a-f]{64}");

    private Ids() {
    }

    /**
     * A new random id. Like Docker, never one whose 12-digit short form is all decimal
     * digits: a client could not tell it from a number (a pid, an index).
     */
    public static String random() {
        while (true) {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            if (!id.substring(0, 12).chars().allMatch(Character::isDigit)) {
                return id;
            }
        }
    }

    public static boolean isFull(String s) {
        return s != null && FULL.matcher(s).matches();
    }

    public static String requireFull(String s, String what) {
        if (!isFull(s)) {
            throw GantryException.invalid(what + " \"" + s + "\": must be 64 hexadecimal digits");
        }
        return s;
    }
}
