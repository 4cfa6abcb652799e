package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as runc's update flags take them: a number with an optional binary unit
 * ({@code b}, {@code k}, {@code m}, {@code g}, {@code t}, {@code p}, each optionally followed
 * by {@code b} or {@code ib}, in any case), so {@code 32m} is 32 MiB; {@code -1} means
 * unlimited.
 */
final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b)?");

    private ByteSize() {}

    static long parse(String flag, String text) {
        if (text.strip().equals("-1")) {
            return -1;
        }
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw GantryException.invalid(flag + ": \"" + text + "\" is not a size (e.g. 33554432, 32m, 1g, -1)");
        }
        int power = m.group(2).isEmpty() ? 0 : 10 * ("kmgtp".indexOf(m.group(2)) + 1);
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(power));
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException e) {
            throw GantryException.invalid(flag + ": \"" + text + "\" is not a whole number of bytes below 2^63");
        }
    }
}
