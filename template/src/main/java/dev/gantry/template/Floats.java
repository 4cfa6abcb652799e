package dev.gantry.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The digits of Go's %e, %f and %g for a non-negative decimal, after strconv's FormatFloat.
 * Values are rounded from their exact binary value, half to even, as Go rounds ({@code %.2f} of
 * 2.675 is 2.67); the shortest form takes the digits Java's {@code Double.toString} gives, which
 * are the fewest that read back as the same double, as Go's are.
 */
final class Floats {
    private Floats() {}

    /** Decimal digits without leading or trailing zeros, and the decimal point's position. */
    private record Digits(String d, int dp) {
        static Digits of(BigDecimal value) {
            if (value.signum() == 0) {
                return new Digits("", 0);
            }
            BigDecimal stripped = value.stripTrailingZeros();
            String unscaled = stripped.unscaledValue().abs().toString();
            return new Digits(unscaled, unscaled.length() - stripped.scale());
        }

        static Digits rounded(BigDecimal value, int significant) {
            return of(value.round(new MathContext(significant, RoundingMode.HALF_EVEN)));
        }

        static Digits fixed(BigDecimal value, int decimals) {
            return of(value.setScale(decimals, RoundingMode.HALF_EVEN));
        }

        char at(int i) {
            return i >= 0 && i < d.length() ? d.charAt(i) : '0';
        }
    }

    /** Go's %g: %e for exponents below -4 or from the precision up (6 for the shortest form). */
    static String formatG(BigDecimal exact, BigDecimal shortest, int precision, boolean sharp) {
        Digits digits;
        int prec;
        int eprec;
        if (precision < 0) {
            digits = Digits.of(shortest);
            prec = digits.d().length();
            eprec = 6;
        } else {
            prec = precision == 0 ? 1 : precision;
            digits = Digits.rounded(exact, prec);
            eprec = prec;
            if (eprec > digits.d().length() && digits.d().length() >= digits.dp()) {
                eprec = digits.d().length();
            }
        }
        int nd = digits.d().length();
        int exp = digits.dp() - 1;
        if (exp < -4 || exp >= eprec) {
            if (prec > nd && !sharp) {
                prec = nd;
            }
            return formatE(digits, Math.max(prec - 1, 0), 'e');
        }
        if (prec > digits.dp() && !sharp) {
            prec = nd;
        }
        return formatF(digits, Math.max(prec - digits.dp(), 0));
    }

    /** Go's %e with {@code prec} decimals of {@code value} (not negative). */
    static String formatE(BigDecimal value, int prec, char e) {
        return formatE(Digits.rounded(value, prec + 1), prec, e);
    }

    private static String formatE(Digits digits, int prec, char e) {
        StringBuilder sb = new StringBuilder();
        sb.append(digits.d().isEmpty() ? '0' : digits.d().charAt(0));
        if (prec > 0) {
            sb.append('.');
            for (int i = 1; i <= prec; i++) {
                sb.append(digits.at(i));
            }
        }
        int exp = digits.d().isEmpty() ? 0 : digits.dp() - 1;
        sb.append(e).append(exp < 0 ? '-' : '+');
        int absExp = Math.abs(exp);
        if (absExp < 10) {
            sb.append('0');
        }
        return sb.append(absExp).toString();
    }

    /** Go's %f with {@code prec} decimals of {@code value} (not negative). */
    static String formatF(BigDecimal value, int prec) {
        return formatF(Digits.fixed(value, prec), prec);
    }

    private static String formatF(Digits digits, int prec) {
        StringBuilder sb = new StringBuilder();
        if (digits.dp() > 0) {
            for (int i = 0; i < digits.dp(); i++) {
                sb.append(digits.at(i));
            }
        } else {
            sb.append('0');
        }
        if (prec > 0) {
            sb.append('.');
            for (int i = 0; i < prec; i++) {
                sb.append(digits.at(digits.dp() + i));
            }
        }
        return sb.toString();
    }
}
