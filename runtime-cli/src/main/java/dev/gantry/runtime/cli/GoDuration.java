package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as runc's flags take them (Go's {@code time.ParseDuration}): a sequence of
 * decimal numbers with units, such as {@code 5s}, {@code 1m30s}, {@code 250ms}, {@code 1.5h}.
 */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    static Duration parse(String flag, String text) {
        Matcher m = PART.matcher(text);
        BigDecimal total = BigDecimal.ZERO;
        int end = 0;
        while (m.lookingAt()) {
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            end = m.end();
            m.region(end, text.length());
        }
        if (end == 0 || end != text.length()) {
            throw GantryException.invalid(flag + ": \"" + text + "\" is not a duration (e.g. 5s, 250ms, 1m30s)");
        }
        return Duration.ofNanos(total.longValue());
    }
}
