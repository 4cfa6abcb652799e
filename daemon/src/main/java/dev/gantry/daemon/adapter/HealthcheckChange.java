package dev.gantry.daemon.adapter;

import dev.gantry.base.GantryException;
import dev.gantry.oci.image.ContainerConfig.Healthcheck;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code HEALTHCHECK} change: {@code NONE}, or {@code [--interval=D] [--timeout=D]
 * [--start-period=D] [--start-interval=D] [--retries=N] CMD command} with Go durations
 * ({@code 30s}, {@code 1m30s}, {@code 500ms}) as a Dockerfile writes them.
 */
final class HealthcheckChange {
    /** One number and unit of a Go duration: digits, a fraction or both; units as time.ParseDuration spells them (µ is U+00B5, μ U+03BC). */
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
    /** Docker's container.MinimumDuration: a shorter non-zero interval, timeout or period is refused. */
    private static final long MINIMUM_NANOS = 1_000_000L;

    private HealthcheckChange() {
    }

    static Healthcheck parse(String rest, String line) {
        if (rest.equalsIgnoreCase("NONE")) {
            return new Healthcheck(List.of("NONE"), null, null, null, null, null);
        }
        Long interval = null;
        Long timeout = null;
        Long startPeriod = null;
        Long startInterval = null;
        Integer retries = null;
        String s = rest;
        while (s.startsWith("--")) {
            int end = s.indexOf(' ');
            if (end < 0) {
                throw GantryException.invalid("changes: HEALTHCHECK has no CMD: " + line);
            }
            String flag = s.substring(2, end);
            s = s.substring(end).strip();
            int eq = flag.indexOf('=');
            if (eq < 0) {
                throw GantryException.invalid("changes: HEALTHCHECK option --" + flag + " has no value: " + line);
            }
            String value = flag.substring(eq + 1);
            switch (flag.substring(0, eq)) {
                case "interval" -> interval = interval("interval", value, line);
                case "timeout" -> timeout = interval("timeout", value, line);
                case "start-period" -> startPeriod = interval("start-period", value, line);
                case "start-interval" -> startInterval = interval("start-interval", value, line);
                case "retries" -> retries = retries(value, line);
                default -> throw GantryException.invalid("changes: HEALTHCHECK option --" + flag.substring(0, eq) + " is unknown: " + line);
            }
        }
        if (!s.regionMatches(true, 0, "CMD", 0, 3) || (s.length() > 3 && !Character.isWhitespace(s.charAt(3)))) {
            throw GantryException.invalid("changes: HEALTHCHECK needs NONE or CMD: " + line);
        }
        String command = s.substring(3).strip();
        if (command.isEmpty()) {
            throw GantryException.invalid("changes: HEALTHCHECK CMD has no command: " + line);
        }
        List<String> test = new ArrayList<>();
        if (command.startsWith("[")) {
            test.add("CMD");
            test.addAll(ImageChanges.jsonArray(command, line));
        } else {
            test.add("CMD-SHELL");
            test.add(command);
        }
        return new Healthcheck(List.copyOf(test), interval, timeout, startPeriod, startInterval, retries);
    }

    private static Integer retries(String value, String line) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, with the line
        }
        throw GantryException.invalid("changes: HEALTHCHECK --retries " + value + " is not a count: " + line);
    }

    /**
     * As Docker's HEALTHCHECK options: empty or zero is unset (the default applies), anything else
     * at least 1ms.
     */
    private static Long interval(String option, String value, String line) {
        long nanos = value.isEmpty() ? 0 : nanos(value, line);
        if (nanos == 0) {
            return null;
        }
        if (nanos < MINIMUM_NANOS) {
            throw GantryException.invalid("changes: HEALTHCHECK --" + option + " cannot be less than 1ms: " + line);
        }
        return nanos;
    }

    /** A Go duration (time.ParseDuration: an optional sign, then numbers with units, case-sensitive; "0" alone) in nanoseconds. */
    static long nanos(String value, String line) {
        boolean negative = value.startsWith("-");
        String s = negative || value.startsWith("+") ? value.substring(1) : value;
        if (s.equals("0")) {
            return 0;
        }
        Matcher m = DURATION_PART.matcher(s);
        double total = 0;
        int at = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            total += n * switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            at = m.end();
        }
        if (at == 0 || at != s.length()) {
            throw GantryException.invalid("changes: HEALTHCHECK duration " + value + " is not like 30s or 1m30s: " + line);
        }
        return (long) (negative ? -total : total);
    }
}
