package dev.gantry.template;

/**
 * A JSON string literal as Go's encoding/json writes it with HTML escaping off ({@code <>&} stay
 * as they are): docker's {@code json} template function, and the command line's own JSON output
 * that follows it.
 */
public final class JsonString {
    private JsonString() {}

    /** Appends {@code s} quoted and escaped. */
    public static void append(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                // Go escapes these two even without HTML escaping: JavaScript treats them as newlines.
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u").append(Fmt.hex(c, 4, false));
                    } else if (Character.isSurrogate(c)) {
                        boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1));
                        if (paired) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            // Go replaces invalid UTF-8 with U+FFFD; a lone surrogate is its Java twin.
                            sb.append("\\ufffd");
                        }
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
