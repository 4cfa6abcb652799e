package dev.gantry.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code --since}/{@code --until} values as the API takes them (Unix seconds, with an optional
 * fraction): a Unix timestamp passes through, a duration ({@code 42m}) counts back from now,
 * an RFC 3339 date-time or a date is converted — docker's GetTimestamp.
 */
final class Times {
    private Times() {}

    static String apiTime(String flag, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.matches("\\d+(\\.\\d+)?")) {
            return value;
        }
        if (value.matches("[0-9.]+(ns|us|µs|ms|s|m|h)([0-9.]+(ns|us|µs|ms|s|m|h))*")) {
            long nanos = System.currentTimeMillis() * 1_000_000L - Units.durationNanos(flag, value);
            return nanos / 1_000_000_000L + "." + String.format("%09d", nanos % 1_000_000_000L);
        }
        try {
            Instant t = OffsetDateTime.parse(value).toInstant();
            return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
        } catch (DateTimeParseException notDateTime) {
            try {
                return Long.toString(LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toEpochSecond());
            } catch (DateTimeParseException e) {
                throw new UsageException("invalid value for --" + flag + " '" + value
                        + "': use a Unix time, a duration such as 42m, or an RFC 3339 time such as 2013-01-02T13:23:37Z");
            }
        }
    }
}
