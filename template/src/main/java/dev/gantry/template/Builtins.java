package dev.gantry.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The predefined functions: Go's (and or not len index slice print printf println eq ne lt le gt
 * ge html js urlquery) and docker's (json join lower upper title split pad truncate). One switch rather than a map
 * of lambdas, because each lambda costs the CLI a generated class at start-up.
 */
final class Builtins {
    private Builtins() {}

    static final Set<String> NAMES = Set.of("and", "or", "not", "len", "index", "slice", "print", "printf",
            "println", "eq", "ne", "lt", "le", "gt", "ge", "html", "js", "urlquery", "json", "join", "lower", "upper",
            "title", "split", "pad", "truncate");

    /**
     * The error message for {@code count} arguments to {@code name}, or null when the count fits.
     * Go says {@code wrong number of args for NAME: want N got M}.
     */
    static String checkArity(String name, int count) {
        int[] range = switch (name) {
            case "not", "len", "json", "lower", "upper", "title" -> new int[] {1, 1};
            case "ne", "lt", "le", "gt", "ge", "join", "split", "truncate" -> new int[] {2, 2};
            case "pad" -> new int[] {3, 3};
            case "and", "or", "index", "slice", "printf", "eq" -> new int[] {1, Integer.MAX_VALUE};
            default -> new int[] {0, Integer.MAX_VALUE};
        };
        if (count >= range[0] && count <= range[1]) {
            return null;
        }
        String want = range[1] == Integer.MAX_VALUE ? "at least " + range[0] : String.valueOf(range[0]);
        return "wrong number of args for " + name + ": want " + want + " got " + count;
    }

    /** Calls builtin {@code name} (not and/or, which the executor evaluates lazily). */
    static Object call(String name, List<Object> args) {
        return switch (name) {
            case "not" -> !isTrue(args.getFirst());
            case "len" -> length(args.getFirst());
            case "index" -> index(args.getFirst(), args.subList(1, args.size()));
            case "slice" -> slice(args.getFirst(), args.subList(1, args.size()));
            case "print" -> Fmt.sprint(args);
            case "println" -> Fmt.sprintln(args);
            case "printf" -> Fmt.sprintf(string(args.getFirst()), args.subList(1, args.size()));
            case "eq" -> eq(args.getFirst(), args.subList(1, args.size()));
            case "ne" -> !eq(args.getFirst(), args.subList(1, 2));
            case "lt" -> compare(name, args.get(0), args.get(1)) < 0;
            case "le" -> compare(name, args.get(0), args.get(1)) <= 0;
            case "gt" -> compare(name, args.get(0), args.get(1)) > 0;
            case "ge" -> compare(name, args.get(0), args.get(1)) >= 0;
            case "json" -> Json.encode(args.getFirst());
            case "join" -> join(args.get(0), string(args.get(1)));
            case "lower" -> mapCase(string(args.getFirst()), false);
            case "upper" -> mapCase(string(args.getFirst()), true);
            case "html" -> html(asText(args));
            case "js" -> js(asText(args));
            case "urlquery" -> urlQuery(asText(args));
            case "title" -> title(string(args.getFirst()));
            case "split" -> split(string(args.get(0)), string(args.get(1)));
            case "pad" -> pad(string(args.get(0)), integer(args.get(1)), integer(args.get(2)));
            case "truncate" -> truncate(string(args.get(0)), integer(args.get(1)));
            default -> throw new IllegalStateException("no builtin " + name);
        };
    }

    /** Go's truth: false, 0, nil, a missing value and an empty string, list or map are false. */
    static boolean isTrue(Object v) {
        if (v == null || v == Exec.NO_VALUE) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof BigDecimal d) {
            return d.signum() != 0;
        }
        if (v instanceof Number n) {
            return Fmt.isInteger(n) ? Fmt.toBigInteger(n).signum() != 0 : n.doubleValue() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return !v.getClass().isArray() || java.lang.reflect.Array.getLength(v) > 0;
    }

    private static long length(Object v) {
        if (v == null) {
            // Null stands for what Go would hold as a nil slice or map: its length is 0.
            return 0;
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        if (v instanceof List<?> l) {
            return l.size();
        }
        if (v.getClass().isArray()) {
            return java.lang.reflect.Array.getLength(v);
        }
        throw new TemplateException("error calling len: len of type " + Fmt.typeName(v));
    }

    private static Object index(Object item, List<Object> indexes) {
        Object current = item;
        for (Object key : indexes) {
            if (current == null) {
                return null;
            } else if (current instanceof Map<?, ?> m) {
                current = m.get(key);
            } else if (current instanceof String s) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                current = (long) (bytes[position("index", key, bytes.length, false)] & 0xff);
            } else if (current instanceof List<?> l) {
                current = l.get(position("index", key, l.size(), false));
            } else if (current.getClass().isArray()) {
                List<Object> list = Fmt.arrayToList(current);
                current = list.get(position("index", key, list.size(), false));
            } else {
                throw new TemplateException("error calling index: can't index item of type " + Fmt.typeName(current));
            }
        }
        return current;
    }

    private static Object slice(Object item, List<Object> indexes) {
        if (indexes.size() > 3) {
            throw new TemplateException("error calling slice: too many slice indexes: " + indexes.size());
        }
        int length;
        if (item == null) {
            throw new TemplateException("error calling slice: slice of untyped nil");
        } else if (item instanceof String s) {
            length = s.getBytes(StandardCharsets.UTF_8).length;
        } else if (item instanceof List<?> l) {
            length = l.size();
        } else if (item.getClass().isArray()) {
            length = java.lang.reflect.Array.getLength(item);
        } else {
            throw new TemplateException("error calling slice: can't slice item of type " + Fmt.typeName(item));
        }
        if (item instanceof String && indexes.size() == 3) {
            throw new TemplateException("error calling slice: cannot 3-index slice a string");
        }
        int[] bounds = {0, length, length};
        for (int i = 0; i < indexes.size(); i++) {
            bounds[i] = position("slice", indexes.get(i), length, true);
        }
        if (bounds[0] > bounds[1]) {
            throw new TemplateException("error calling slice: invalid slice index: " + bounds[0] + " > " + bounds[1]);
        }
        if (indexes.size() == 3 && bounds[1] > bounds[2]) {
            throw new TemplateException("error calling slice: invalid slice index: " + bounds[1] + " > " + bounds[2]);
        }
        if (item instanceof String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            return new String(Arrays.copyOfRange(bytes, bounds[0], bounds[1]), StandardCharsets.UTF_8);
        }
        List<?> list = item instanceof List<?> l ? l : Fmt.arrayToList(item);
        return List.copyOf(new ArrayList<>(list.subList(bounds[0], bounds[1])));
    }

    /** An index into a sequence of {@code length}; a slice bound may equal the length. */
    private static int position(String fn, Object key, int length, boolean isSliceBound) {
        if (key == null) {
            throw new TemplateException("error calling " + fn + ": cannot index slice/array with nil");
        }
        if (!Fmt.isInteger(key)) {
            throw new TemplateException("error calling " + fn + ": cannot index slice/array with type " + Fmt.typeName(key));
        }
        BigInteger i = Fmt.toBigInteger((Number) key);
        int limit = isSliceBound ? length : length - 1;
        if (i.signum() < 0 || i.compareTo(BigInteger.valueOf(limit)) > 0) {
            throw new TemplateException("error calling " + fn + ": index out of range: " + i);
        }
        return i.intValue();
    }

    private enum Kind { BOOL, INT, FLOAT, STRING, NIL, OTHER }

    private static Kind kind(Object v) {
        if (v == null) {
            return Kind.NIL;
        }
        if (v instanceof Boolean) {
            return Kind.BOOL;
        }
        if (v instanceof String) {
            return Kind.STRING;
        }
        if (v instanceof Number n) {
            return Fmt.isInteger(n) ? Kind.INT : Kind.FLOAT;
        }
        return Kind.OTHER;
    }

    /**
     * Go's eq: whether {@code a} equals any of {@code others}. Unlike Go, an integer and a float
     * compare by value (Go refuses them as "incompatible types"), because JSON-decoded data and
     * template constants do not agree on a Go type here.
     */
    private static boolean eq(Object a, List<Object> others) {
        if (others.isEmpty()) {
            throw new TemplateException("error calling eq: missing argument for comparison");
        }
        for (Object b : others) {
            Kind ka = kind(a);
            Kind kb = kind(b);
            boolean truth;
            if (ka == Kind.NIL || kb == Kind.NIL) {
                truth = ka == kb;
            } else if (isNumeric(ka) && isNumeric(kb)) {
                truth = compareNumbers((Number) a, (Number) b) == 0;
            } else if (ka != kb) {
                throw new TemplateException("error calling eq: incompatible types for comparison");
            } else if (ka == Kind.OTHER) {
                if (a instanceof Map || a instanceof List || a.getClass().isArray()) {
                    throw new TemplateException("error calling eq: non-comparable type " + Fmt.value(a) + ": " + Fmt.typeName(a));
                }
                truth = a.equals(b);
            } else {
                truth = a.equals(b);
            }
            if (truth) {
                return true;
            }
        }
        return false;
    }

    private static int compare(String name, Object a, Object b) {
        Kind ka = kind(a);
        Kind kb = kind(b);
        if (ka == Kind.NIL || ka == Kind.BOOL || ka == Kind.OTHER || kb == Kind.NIL || kb == Kind.BOOL || kb == Kind.OTHER) {
            throw new TemplateException("error calling " + name + ": invalid type for comparison");
        }
        if (isNumeric(ka) && isNumeric(kb)) {
            return compareNumbers((Number) a, (Number) b);
        }
        if (ka != kb) {
            throw new TemplateException("error calling " + name + ": incompatible types for comparison");
        }
        return compareUtf8((String) a, (String) b);
    }

    private static boolean isNumeric(Kind k) {
        return k == Kind.INT || k == Kind.FLOAT;
    }

    private static int compareNumbers(Number a, Number b) {
        if (Fmt.isInteger(a) && Fmt.isInteger(b)) {
            return Fmt.toBigInteger(a).compareTo(Fmt.toBigInteger(b));
        }
        return Double.compare(a.doubleValue(), b.doubleValue());
    }

    /** Go compares strings byte by byte in UTF-8, which is code point order. */
    private static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Go's strings.Join; list elements that are not strings are printed as %v would. */
    private static String join(Object list, String sep) {
        List<?> items;
        if (list == null) {
            items = List.of();
        } else if (list instanceof List<?> l) {
            items = l;
        } else if (list.getClass().isArray()) {
            items = Fmt.arrayToList(list);
        } else {
            throw new TemplateException("wrong type for value; expected []string; got " + Fmt.typeName(list));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(sep);
            }
            Object item = items.get(i);
            sb.append(item instanceof String s ? s : Fmt.value(item));
        }
        return sb.toString();
    }

    /** Go's strings.ToUpper/ToLower: rune by rune, so that ß stays ß (Java's would make it SS). */
    private static String mapCase(String s, boolean upper) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            sb.appendCodePoint(upper ? Character.toUpperCase(cp) : Character.toLowerCase(cp));
        }
        return sb.toString();
    }

    /** What html, js and urlquery escape: a lone string argument, or all arguments as print prints them. */
    private static String asText(List<Object> args) {
        return args.size() == 1 && args.getFirst() instanceof String s ? s : Fmt.sprint(args);
    }

    /** Go's template.HTMLEscapeString. */
    private static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case 0 -> sb.append('\uFFFD');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Go's template.JSEscapeString. */
    private static String js(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '"' -> sb.append("\\\"");
                case '<' -> sb.append("\\u003C");
                case '>' -> sb.append("\\u003E");
                case '&' -> sb.append("\\u0026");
                case '=' -> sb.append("\\u003D");
                default -> {
                    boolean safe = cp < 0x80 ? cp >= ' ' : Fmt.isPrint(cp);
                    if (safe) {
                        sb.appendCodePoint(cp);
                    } else {
                        sb.append("\\u").append(Fmt.hex(cp, 4, true));
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Go's url.QueryEscape: unreserved characters stay, space is +, every other byte is %XX. */
    private static String urlQuery(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(Fmt.hex(c, 2, true));
            }
        }
        return sb.toString();
    }

    /** Go's strings.Split: an empty separator splits after each character; "" gives [""]. */
    private static List<String> split(String s, String sep) {
        List<String> parts = new ArrayList<>();
        if (sep.isEmpty()) {
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                parts.add(new String(Character.toChars(cp)));
                i += Character.charCount(cp);
            }
            return parts;
        }
        int from = 0;
        int at;
        while ((at = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** Go's strings.Title: the first letter of each word upper-cased (title case). */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        int prev = ' ';
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            sb.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(cp) : cp);
            prev = cp;
        }
        return sb.toString();
    }

    private static boolean isSeparator(int cp) {
        if (cp <= 0x7f) {
            return !(Character.isLetterOrDigit(cp) || cp == '_');
        }
        if (Character.isLetterOrDigit(cp)) {
            return false;
        }
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /** docker's pad: spaces before and after a string that is not empty. */
    private static String pad(String s, int prefix, int suffix) {
        if (s.isEmpty()) {
            return s;
        }
        if (prefix < 0 || suffix < 0) {
            throw new TemplateException("error calling pad: strings: negative Repeat count");
        }
        return " ".repeat(prefix) + s + " ".repeat(suffix);
    }

    /** docker's truncate: the first {@code length} characters (code points; Go counts bytes). */
    private static String truncate(String s, int length) {
        int count = s.codePointCount(0, s.length());
        if (count < length) {
            return s;
        }
        if (length < 0) {
            throw new TemplateException("error calling truncate: runtime error: slice bounds out of range [:" + length + "]");
        }
        return s.substring(0, s.offsetByCodePoints(0, length));
    }

    private static String string(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v == null) {
            throw new TemplateException("invalid value; expected string");
        }
        throw new TemplateException("wrong type for value; expected string; got " + Fmt.typeName(v));
    }

    private static int integer(Object v) {
        if (Fmt.isInteger(v)) {
            BigInteger i = Fmt.toBigInteger((Number) v);
            if (i.bitLength() < 32) {
                return i.intValue();
            }
        }
        if (v == null) {
            throw new TemplateException("invalid value; expected int");
        }
        throw new TemplateException("wrong type for value; expected int; got " + Fmt.typeName(v));
    }
}
