package dev.gantry.template;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's fmt for the template data model: how {@code {{.}}}, {@code print}, {@code println} and
 * {@code printf} render values. Maps print as {@code map[k:v k:v]} with sorted keys, lists as
 * {@code [a b]}, null as {@code <nil>}, floats with the shortest digits that round-trip and an
 * exponent from 1e+06 up (as Go's %v does), and a verb that does not fit its argument prints
 * Go's {@code %!d(string=abc)} instead of failing.
 */
final class Fmt {
    private Fmt() {}

    /** The printf flags, width and precision of one verb; -1 means absent. */
    private static final class Spec {
        boolean minus;
        boolean plus;
        boolean space;
        boolean zero;
        boolean sharp;
        int width = -1;
        int precision = -1;
    }

    /** Go's %v. */
    static String value(Object v) {
        StringBuilder sb = new StringBuilder();
        format(sb, v, 'v', new Spec());
        return sb.toString();
    }

    /** Go's fmt.Sprint: a space between two operands when neither is a string. */
    static String sprint(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        boolean prevString = false;
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            boolean isString = arg instanceof String;
            if (i > 0 && !isString && !prevString) {
                sb.append(' ');
            }
            format(sb, arg, 'v', new Spec());
            prevString = isString;
        }
        return sb.toString();
    }

    /** Go's fmt.Sprintln: operands separated by spaces, then a newline. */
    static String sprintln(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            format(sb, args.get(i), 'v', new Spec());
        }
        return sb.append('\n').toString();
    }

    /** Go's fmt.Sprintf for the verbs b c d e E f F g G o O q s t T U v x X and %%. */
    static String sprintf(String format, List<Object> args) {
        StringBuilder sb = new StringBuilder();
        int argNum = 0;
        boolean reordered = false;
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i++);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            Spec spec = new Spec();
            flags:
            while (i < n) {
                switch (format.charAt(i)) {
                    case '-' -> spec.minus = true;
                    case '+' -> spec.plus = true;
                    case ' ' -> spec.space = true;
                    case '0' -> spec.zero = true;
                    case '#' -> spec.sharp = true;
                    default -> {
                        break flags;
                    }
                }
                i++;
            }
            int[] at = {i};
            int index = argIndex(format, at, args.size());
            i = at[0];
            boolean badIndex = index == -2;
            if (index >= 0) {
                argNum = index;
            }
            reordered |= index != -1;
            if (i < n && format.charAt(i) == '*') {
                i++;
                Integer w = argNum < args.size() ? intArg(args.get(argNum)) : null;
                argNum++;
                if (w == null) {
                    sb.append("%!(BADWIDTH)");
                } else {
                    spec.width = Math.abs(w);
                    spec.minus |= w < 0;
                }
            } else {
                int start = i;
                while (i < n && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    spec.width = Integer.parseInt(format.substring(start, i));
                }
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                if (i < n && format.charAt(i) == '*') {
                    i++;
                    Integer p = argNum < args.size() ? intArg(args.get(argNum)) : null;
                    argNum++;
                    if (p == null || p < 0) {
                        sb.append("%!(BADPREC)");
                    } else {
                        spec.precision = p;
                    }
                } else {
                    int start = i;
                    while (i < n && Character.isDigit(format.charAt(i))) {
                        i++;
                    }
                    spec.precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
                }
            }
            at[0] = i;
            index = argIndex(format, at, args.size());
            i = at[0];
            badIndex |= index == -2;
            if (index >= 0) {
                argNum = index;
            }
            reordered |= index != -1;
            if (i >= n) {
                sb.append("%!(NOVERB)");
                break;
            }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') {
                sb.append('%');
                continue;
            }
            if (badIndex) {
                sb.append("%!").appendCodePoint(verb).append("(BADINDEX)");
                continue;
            }
            if (argNum >= args.size()) {
                sb.append("%!").appendCodePoint(verb).append("(MISSING)");
                continue;
            }
            if (spec.minus) {
                spec.zero = false;
            }
            format(sb, args.get(argNum++), verb, spec);
        }
        if (!reordered && argNum < args.size()) {
            sb.append("%!(EXTRA ");
            for (int k = argNum; k < args.size(); k++) {
                if (k > argNum) {
                    sb.append(", ");
                }
                Object arg = args.get(k);
                sb.append(arg == null ? "<nil>" : typeName(arg) + "=" + value(arg));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /** Parses {@code [n]} at {@code at[0]}: the 0-based argument, -1 when absent, -2 when bad. */
    private static int argIndex(String format, int[] at, int count) {
        int i = at[0];
        if (i >= format.length() || format.charAt(i) != '[') {
            return -1;
        }
        int close = format.indexOf(']', i);
        if (close < 0) {
            at[0] = i + 1;
            return -2;
        }
        at[0] = close + 1;
        try {
            int n = Integer.parseInt(format.substring(i + 1, close));
            return n >= 1 && n <= count ? n - 1 : -2;
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    private static Integer intArg(Object arg) {
        return isInteger(arg) ? ((Number) arg).intValue() : null;
    }

    private static void format(StringBuilder sb, Object arg, int verb, Spec spec) {
        if (verb == 'T') {
            pad(sb, arg == null ? "<nil>" : typeName(arg), spec);
            return;
        }
        // An instanceof chain rather than a type switch: see Exec.walk.
        if (arg == null) {
            if (verb == 'v') {
                pad(sb, "<nil>", spec);
            } else {
                sb.append("%!").appendCodePoint(verb).append("(<nil>)");
            }
        } else if (arg instanceof String s) {
            string(sb, s, verb, spec);
        } else if (arg instanceof Boolean b) {
            if (verb == 'v' || verb == 't') {
                pad(sb, b.toString(), spec);
            } else {
                badVerb(sb, arg, verb);
            }
        } else if (isInteger(arg)) {
            integer(sb, toBigInteger((Number) arg), verb, spec, arg);
        } else if (isFloat(arg)) {
            floating(sb, (Number) arg, verb, spec);
        } else if (arg instanceof Map<?, ?> map) {
            sb.append("map[");
            boolean first = true;
            for (Map.Entry<?, ?> e : sortedEntries(map)) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                format(sb, e.getKey(), verb, spec);
                sb.append(':');
                format(sb, e.getValue(), verb, spec);
            }
            sb.append(']');
        } else if (arg instanceof List<?> || arg.getClass().isArray()) {
            List<?> list = arg instanceof List<?> l ? l : arrayToList(arg);
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                format(sb, list.get(i), verb, spec);
            }
            sb.append(']');
        } else if (verb == 'v' || verb == 's') {
            pad(sb, arg.toString(), spec);
        } else if (verb == 'q') {
            pad(sb, quote(arg.toString()), spec);
        } else {
            badVerb(sb, arg, verb);
        }
    }

    private static void string(StringBuilder sb, String s, int verb, Spec spec) {
        switch (verb) {
            case 'v', 's' -> {
                String text = s;
                if (spec.precision >= 0 && s.codePointCount(0, s.length()) > spec.precision) {
                    text = s.substring(0, s.offsetByCodePoints(0, spec.precision));
                }
                pad(sb, text, spec);
            }
            case 'q' -> pad(sb, spec.sharp && canBackquote(s) ? "`" + s + "`" : quote(s, spec.plus), spec);
            case 'x', 'X' -> {
                String hex = HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
                pad(sb, verb == 'X' ? hex.toUpperCase(java.util.Locale.ROOT) : hex, spec);
            }
            default -> badVerb(sb, s, verb);
        }
    }

    private static void integer(StringBuilder sb, BigInteger value, int verb, Spec spec, Object arg) {
        String digits;
        String prefix = "";
        BigInteger abs = value.abs();
        switch (verb) {
            case 'v', 'd' -> digits = abs.toString();
            case 'b' -> digits = abs.toString(2);
            case 'o', 'O' -> {
                digits = abs.toString(8);
                prefix = verb == 'O' ? "0o" : spec.sharp ? "0" : "";
            }
            case 'x' -> {
                digits = abs.toString(16);
                prefix = spec.sharp ? "0x" : "";
            }
            case 'X' -> {
                digits = abs.toString(16).toUpperCase(java.util.Locale.ROOT);
                prefix = spec.sharp ? "0X" : "";
            }
            case 'c' -> {
                pad(sb, runeString(value), spec);
                return;
            }
            case 'q' -> {
                pad(sb, quoteRune(value), spec);
                return;
            }
            case 'U' -> {
                String u = "U+" + hex(value.longValue(), 4, true);
                if (spec.sharp && value.bitLength() < 32 && Character.isValidCodePoint(value.intValue())
                        && isPrint(value.intValue())) {
                    u += " '" + runeString(value) + "'";
                }
                pad(sb, u, spec);
                return;
            }
            default -> {
                badVerb(sb, arg, verb);
                return;
            }
        }
        if (spec.precision >= 0) {
            if (spec.precision == 0 && abs.signum() == 0) {
                digits = "";
            }
            if (digits.length() < spec.precision) {
                digits = "0".repeat(spec.precision - digits.length()) + digits;
            }
        }
        String sign = value.signum() < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        numeric(sb, sign + prefix, digits, spec, spec.precision < 0);
    }

    private static void floating(StringBuilder sb, Number num, int verb, Spec spec) {
        double d = num.doubleValue();
        if (!(num instanceof BigDecimal) && (Double.isNaN(d) || Double.isInfinite(d))) {
            String text = Double.isNaN(d) ? "NaN" : d > 0 ? (spec.plus ? "+Inf" : spec.space ? " Inf" : "+Inf") : "-Inf";
            if (Double.isNaN(d) && (spec.plus || spec.space)) {
                text = (spec.plus ? "+" : " ") + text;
            }
            boolean zero = spec.zero;
            spec.zero = false;
            switch (verb) {
                case 'v', 'e', 'E', 'f', 'F', 'g', 'G' -> pad(sb, text, spec);
                default -> badVerb(sb, num, verb);
            }
            spec.zero = zero;
            return;
        }
        BigDecimal exact = num instanceof BigDecimal b ? b : new BigDecimal(d);
        boolean negative = exact.signum() < 0 || (!(num instanceof BigDecimal) && d == 0 && 1 / d < 0);
        BigDecimal abs = exact.abs();
        String body;
        switch (verb) {
            case 'v', 'g', 'G' -> {
                BigDecimal shortest = num instanceof BigDecimal b ? b.abs()
                        : num instanceof Float f ? new BigDecimal(Float.toString(Math.abs(f)))
                        : new BigDecimal(Double.toString(Math.abs(d)));
                body = Floats.formatG(abs, shortest, spec.precision, spec.sharp);
                if (verb == 'G') {
                    body = body.toUpperCase(java.util.Locale.ROOT);
                }
            }
            case 'e', 'E' -> {
                int prec = spec.precision < 0 ? 6 : spec.precision;
                body = Floats.formatE(abs, prec, verb == 'E' ? 'E' : 'e');
            }
            case 'f', 'F' -> {
                int prec = spec.precision < 0 ? 6 : spec.precision;
                body = Floats.formatF(abs, prec);
            }
            default -> {
                badVerb(sb, num, verb);
                return;
            }
        }
        String sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        numeric(sb, sign, body, spec, true);
    }

    /** Pads a number: zeros go between the sign (or prefix) and the digits. */
    private static void numeric(StringBuilder sb, String sign, String digits, Spec spec, boolean zeroAllowed) {
        int len = sign.length() + digits.length();
        if (spec.width > len && spec.zero && zeroAllowed && !spec.minus) {
            sb.append(sign).append("0".repeat(spec.width - len)).append(digits);
        } else {
            pad(sb, sign + digits, spec);
        }
    }

    private static void pad(StringBuilder sb, String s, Spec spec) {
        int len = s.codePointCount(0, s.length());
        if (spec.width <= len) {
            sb.append(s);
        } else if (spec.minus) {
            sb.append(s).append(" ".repeat(spec.width - len));
        } else {
            sb.append((spec.zero ? "0" : " ").repeat(spec.width - len)).append(s);
        }
    }

    private static void badVerb(StringBuilder sb, Object arg, int verb) {
        sb.append("%!").appendCodePoint(verb).append('(').append(typeName(arg)).append('=').append(value(arg)).append(')');
    }

    /** Go's name for the type of a value, as fmt shows it in %T and in bad-verb messages. */
    static String typeName(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Number) {
            return isInteger(v) ? "int" : "float64";
        }
        if (v instanceof Map<?, ?>) {
            return "map[string]interface {}";
        }
        if (v instanceof List<?> || v.getClass().isArray()) {
            return "[]interface {}";
        }
        return v.getClass().getSimpleName();
    }

    static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger;
    }

    static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float || v instanceof BigDecimal;
    }

    static BigInteger toBigInteger(Number n) {
        return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
    }

    /** Map entries sorted by key the way Go's fmt and encoding/json sort them. */
    static List<Map.Entry<?, ?>> sortedEntries(Map<?, ?> map) {
        TreeMap<Object, Map.Entry<?, ?>> sorted = new TreeMap<>(KeyOrder.INSTANCE);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            sorted.put(e.getKey(), e);
        }
        return new ArrayList<>(sorted.values());
    }

    /**
     * Numbers by value, anything else by its string. A class rather than a method reference: a
     * lambda's bootstrap costs the CLI's start.
     */
    private static final class KeyOrder implements java.util.Comparator<Object> {
        static final KeyOrder INSTANCE = new KeyOrder();

        @Override
        public int compare(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
            }
            return String.valueOf(a).compareTo(String.valueOf(b));
        }
    }

    static List<Object> arrayToList(Object array) {
        int n = Array.getLength(array);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(Array.get(array, i));
        }
        return list;
    }

    private static String runeString(BigInteger value) {
        if (value.bitLength() >= 32 || !Character.isValidCodePoint(value.intValue())
                || (value.intValue() >= 0xD800 && value.intValue() <= 0xDFFF)) {
            return "\uFFFD";
        }
        return new String(Character.toChars(value.intValue()));
    }

    private static String quoteRune(BigInteger value) {
        String r = runeString(value);
        if (r.equals("'")) {
            return "'\\''";
        }
        if (r.equals("\"")) {
            return "'\"'";
        }
        String q = quote(r);
        return "'" + q.substring(1, q.length() - 1) + "'";
    }

    /** Go's strconv.Quote: a double-quoted string with Go escapes for what is not printable. */
    static String quote(String s) {
        return quote(s, false);
    }

    /** Go's %#q uses a raw string when one can hold the text. */
    private static boolean canBackquote(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (c == '`' || c == '\uFEFF' || Character.isSurrogate(c) || (c < ' ' && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Go's strconv.Quote, or QuoteToASCII (for %+q) when {@code asciiOnly}. */
    static String quote(String s, boolean asciiOnly) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 11 -> sb.append("\\v");
                default -> {
                    if (cp >= 0xD800 && cp <= 0xDFFF) {
                        sb.append("\\ufffd");
                    } else if (isPrint(cp) && (cp < 0x80 || !asciiOnly)) {
                        sb.appendCodePoint(cp);
                    } else if (cp < ' ' || cp == 0x7f) {
                        sb.append("\\x").append(hex(cp, 2, false));
                    } else if (cp < 0x10000) {
                        sb.append("\\u").append(hex(cp, 4, false));
                    } else {
                        sb.append("\\U").append(hex(cp, 8, false));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.DASH_PUNCTUATION,
                 Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.CONNECTOR_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** {@code value} in hexadecimal, at least {@code digits} long (String.format costs a CLI's start). */
    static String hex(long value, int digits, boolean upper) {
        String hex = Long.toHexString(value);
        if (upper) {
            hex = hex.toUpperCase(java.util.Locale.ROOT);
        }
        return hex.length() >= digits ? hex : "0".repeat(digits - hex.length()) + hex;
    }

    /** Go's %#U: {@code U+0040 '@'}. */
    static String unicodeName(int cp) {
        String name = "U+" + hex(cp, 4, true);
        return isPrint(cp) ? name + " '" + new String(Character.toChars(cp)) + "'" : name;
    }
}
