package dev.gantry.template;

import dev.gantry.template.Lexer.Kind;
import dev.gantry.template.Lexer.Token;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The values of constants as Go reads them: numbers (decimal, {@code 0x}, {@code 0o}, {@code 0b},
 * a leading-zero octal, {@code _} separators, floats) and strings and character constants with
 * Go's escapes.
 */
final class Literals {
    private Literals() {}

    /** A number constant: Long when it is an integer, Double when written with a point or exponent. */
    static Object number(String src, Token token) {
        String text = token.text();
        if (token.kind() == Kind.CHAR_CONST) {
            String rune = unescape(src, token, text.substring(1, text.length() - 1), '\'');
            if (rune.codePointCount(0, rune.length()) != 1) {
                throw error(src, token, "malformed character constant: " + text);
            }
            return (long) rune.codePointAt(0);
        }
        if (text.endsWith("i")) {
            throw error(src, token, "complex numbers are not supported: " + text);
        }
        if (!underscoresOk(text)) {
            throw error(src, token, "illegal number syntax: " + Fmt.quote(text));
        }
        String clean = text.replace("_", "");
        boolean negative = clean.startsWith("-");
        String body = clean.startsWith("-") || clean.startsWith("+") ? clean.substring(1) : clean;
        String lower = body.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("0x")) {
                if (lower.contains("p") || lower.contains(".")) {
                    return finite(src, token, Double.parseDouble(lower.contains("p") ? lower : lower + "p0"), negative);
                }
                return integer(src, token, lower.substring(2), 16, negative);
            }
            if (lower.startsWith("0o")) {
                return integer(src, token, lower.substring(2), 8, negative);
            }
            if (lower.startsWith("0b")) {
                return integer(src, token, lower.substring(2), 2, negative);
            }
            if (lower.contains(".") || lower.contains("e")) {
                return finite(src, token, Double.parseDouble(body), negative);
            }
            if (lower.length() > 1 && lower.startsWith("0")) {
                return integer(src, token, lower.substring(1), 8, negative);
            }
            return integer(src, token, lower, 10, negative);
        } catch (NumberFormatException e) {
            throw error(src, token, "illegal number syntax: " + Fmt.quote(text));
        }
    }

    /** Go's rule: an underscore sits between two digits, or between a base prefix and a digit. */
    private static boolean underscoresOk(String text) {
        int i = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        boolean hex = text.regionMatches(true, i, "0x", 0, 2);
        for (int k = i; k < text.length(); k++) {
            if (text.charAt(k) != '_') {
                continue;
            }
            boolean afterPrefix = k == i + 2 && text.charAt(i) == '0' && "xXoObB".indexOf(text.charAt(i + 1)) >= 0;
            boolean afterDigit = k > i && isDigit(text.charAt(k - 1), hex);
            boolean beforeDigit = k + 1 < text.length() && isDigit(text.charAt(k + 1), hex);
            if (!(afterPrefix || afterDigit) || !beforeDigit) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c, boolean hex) {
        return c >= '0' && c <= '9' || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
    }

    private static Object integer(String src, Token token, String digits, int radix, boolean negative) {
        BigInteger value = new BigInteger(digits, radix);
        if (negative) {
            value = value.negate();
        }
        if (value.bitLength() > 63) {
            throw error(src, token, "integer overflow: " + Fmt.quote(token.text()));
        }
        return value.longValue();
    }

    /** Go refuses a float constant that no float64 holds (1e400) as bad syntax. */
    private static Object finite(String src, Token token, double value, boolean negative) {
        if (Double.isInfinite(value)) {
            throw error(src, token, "illegal number syntax: " + Fmt.quote(token.text()));
        }
        return negative ? -value : value;
    }

    static String unquote(String src, Token token) {
        String text = token.text();
        String body = text.substring(1, text.length() - 1);
        if (token.kind() == Kind.RAW_STRING) {
            return body.replace("\r", "");
        }
        return unescape(src, token, body, '"');
    }

    /** Go's escapes: \a \b \f \n \r \t \v \\ \" (or \'), \xHH and \ooo bytes, \\uHHHH, \UHHHHHHHH. */
    private static String unescape(String src, Token token, String body, char quote) {
        if (body.indexOf('\\') < 0) {
            return body;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length()) {
            int cp = body.codePointAt(i);
            if (cp != '\\') {
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= body.length()) {
                throw error(src, token, "invalid syntax in " + token.text());
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> bytes.write(7);
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case 'v' -> bytes.write(11);
                case '\\' -> bytes.write('\\');
                case '"', '\'' -> {
                    if (e != quote) {
                        throw error(src, token, "invalid escape \\" + e + " in " + token.text());
                    }
                    bytes.write(e);
                }
                case 'x' -> {
                    bytes.write(hex(src, token, body, i, 2));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int n = e == 'u' ? 4 : 8;
                    int code = hex(src, token, body, i, n);
                    if (!Character.isValidCodePoint(code) || (code >= 0xD800 && code <= 0xDFFF)) {
                        throw error(src, token, "invalid escape \\" + e + body.substring(i, i + n) + " in " + token.text());
                    }
                    bytes.writeBytes(new String(Character.toChars(code)).getBytes(StandardCharsets.UTF_8));
                    i += n;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 > body.length()) {
                        throw error(src, token, "invalid escape \\" + e + " in " + token.text());
                    }
                    int value;
                    try {
                        value = Integer.parseInt(body.substring(i - 1, i + 2), 8);
                    } catch (NumberFormatException ex) {
                        throw error(src, token, "invalid escape \\" + body.substring(i - 1, i + 2) + " in " + token.text());
                    }
                    if (value > 255) {
                        throw error(src, token, "invalid escape \\" + body.substring(i - 1, i + 2) + " in " + token.text());
                    }
                    bytes.write(value);
                    i += 2;
                }
                default -> throw error(src, token, "invalid escape \\" + e + " in " + token.text());
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(String src, Token token, String body, int at, int n) {
        if (at + n > body.length()) {
            throw error(src, token, "invalid escape in " + token.text());
        }
        try {
            return Integer.parseUnsignedInt(body.substring(at, at + n), 16);
        } catch (NumberFormatException e) {
            throw error(src, token, "invalid escape \\x" + body.substring(at, at + n) + " in " + token.text());
        }
    }

    private static TemplateException error(String src, Token token, String message) {
        return TemplateException.at(src, token.pos(), message);
    }
}
