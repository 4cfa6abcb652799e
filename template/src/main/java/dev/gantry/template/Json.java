package dev.gantry.template;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code json} function: Go's encoding/json with HTML escaping turned off (docker's
 * templates call {@code SetEscapeHTML(false)}, so {@code <>&} stay as they are), map keys sorted,
 * no trailing newline. Floats use Go's form: plain decimals from 1e-6 up to 1e21, exponent
 * outside ({@code 1e+21}, {@code 1e-7}).
 */
final class Json {
    private Json() {}

    /**
     * The JSON text of {@code v}, or the empty string for NaN or an infinity: Go refuses to encode
     * those and docker prints what its encoder left, which is nothing.
     */
    static String encode(Object v) {
        StringBuilder sb = new StringBuilder();
        return write(sb, v) ? sb.toString() : "";
    }

    private static boolean write(StringBuilder sb, Object v) {
        // An instanceof chain rather than a type switch: see Exec.walk.
        if (v == null || v == Exec.NO_VALUE) {
            sb.append("null");
        } else if (v instanceof String s) {
            JsonString.append(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof BigDecimal b) {
            sb.append(b.toPlainString());
        } else if (Fmt.isInteger(v)) {
            sb.append(v);
        } else if (v instanceof Number n) {
            return number(sb, n.doubleValue(), n instanceof Float);
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : Fmt.sortedEntries(map)) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                JsonString.append(sb, String.valueOf(e.getKey()));
                sb.append(':');
                if (!write(sb, e.getValue())) {
                    return false;
                }
            }
            sb.append('}');
        } else if (v instanceof List<?> || v.getClass().isArray()) {
            List<?> list = v instanceof List<?> l ? l : Fmt.arrayToList(v);
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                if (!write(sb, list.get(i))) {
                    return false;
                }
            }
            sb.append(']');
        } else if (v instanceof TemplateObject object) {
            Object value = object.jsonValue();
            return value instanceof TemplateObject ? write(sb, value.toString()) : write(sb, value);
        } else {
            JsonString.append(sb, v.toString());
        }
        return true;
    }

    private static boolean number(StringBuilder sb, double d, boolean isFloat32) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return false;
        }
        double abs = Math.abs(d);
        String shortest = isFloat32 ? Float.toString((float) abs) : Double.toString(abs);
        BigDecimal value = new BigDecimal(shortest).stripTrailingZeros();
        if (d < 0 || (d == 0 && 1 / d < 0)) {
            sb.append('-');
        }
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            // Go's 'e' format with the shortest digits: 1e+21, 1.5e-07 shortened to 1.5e-7.
            String digits = value.unscaledValue().toString();
            int exp = digits.length() - value.scale() - 1;
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
        } else {
            sb.append(value.signum() == 0 ? "0" : value.toPlainString());
        }
        return true;
    }
}
