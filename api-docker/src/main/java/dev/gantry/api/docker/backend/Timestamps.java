package dev.gantry.api.docker.backend;

import dev.gantry.base.GantryException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Docker's {@code since}/{@code until} query values: Unix seconds with an optional fraction
 * ({@code 1700000000.123456789}, what the CLI sends after resolving "10m") or RFC 3339.
 */
public final class Timestamps {
    private Timestamps() {}

    /** Null or empty → null; otherwise the instant, or INVALID_ARGUMENT naming the parameter. */
    public static Instant parse(String parameter, String value) {
        if (value == null || value.isBlank() || value.equals("0")) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        } catch (NumberFormatException | ArithmeticException notNumber) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw GantryException.invalid("invalid value for " + parameter + ": " + value + " (expected Unix seconds or RFC 3339)");
            }
        }
    }
}
