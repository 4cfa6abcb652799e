package dev.gantry.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits template text into tokens the way Go's text/template lexer does: text outside actions,
 * and inside <code>{{ }}</code> the words of a pipeline, with spaces kept as tokens because they
 * separate a command's arguments ({@code .A.B} is one chain, {@code .A .B} two arguments).
 * Trim markers (<code>"{{- "</code>, <code>" -}}"</code>) and comments are resolved here.
 */
final class Lexer {
    enum Kind {
        TEXT, LEFT, RIGHT, SPACE, FIELD, VARIABLE, IDENT, STRING, RAW_STRING, CHAR_CONST, NUMBER,
        BOOL, NIL, DOT, PIPE, LEFT_PAREN, RIGHT_PAREN, DECLARE, ASSIGN, COMMA, OTHER, EOF, ERROR,
        IF, ELSE, END, RANGE, WITH, DEFINE, TEMPLATE, BLOCK, BREAK, CONTINUE
    }

    /** One token: its kind, its source text, and its offset in the template. */
    record Token(Kind kind, String text, int pos) {
        /** How a parse error names this token, like Go's item.String(). */
        String describe() {
            return switch (kind) {
                case EOF -> "EOF";
                case IF, ELSE, END, RANGE, WITH, DEFINE, TEMPLATE, BLOCK, BREAK, CONTINUE -> "<" + text + ">";
                default -> Fmt.quote(text.length() > 10 ? text.substring(0, 10) : text);
            };
        }
    }

    private static final String LEFT_DELIM = "{{";
    private static final String RIGHT_DELIM = "}}";
    private static final Map<String, Kind> KEYWORDS = Map.ofEntries(
            Map.entry("if", Kind.IF), Map.entry("else", Kind.ELSE), Map.entry("end", Kind.END),
            Map.entry("range", Kind.RANGE), Map.entry("with", Kind.WITH), Map.entry("define", Kind.DEFINE),
            Map.entry("template", Kind.TEMPLATE), Map.entry("block", Kind.BLOCK),
            Map.entry("break", Kind.BREAK), Map.entry("continue", Kind.CONTINUE),
            Map.entry("true", Kind.BOOL), Map.entry("false", Kind.BOOL), Map.entry("nil", Kind.NIL));

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int parenDepth;

    private Lexer(String src) {
        this.src = src;
    }

    /**
     * The tokens of {@code src}. A lexical error becomes a last ERROR token (text: the message)
     * rather than an exception, so that, as in Go, a parse error met before it is reported first.
     */
    static List<Token> lex(String src) {
        Lexer lexer = new Lexer(src);
        try {
            lexer.run();
        } catch (TemplateException e) {
            // The ERROR token is in place; the exception only unwound the lexer.
        }
        return lexer.tokens;
    }

    private void run() {
        boolean trimLeadingText = false;
        while (true) {
            int start = pos;
            int delim = src.indexOf(LEFT_DELIM, pos);
            int textEnd = delim < 0 ? src.length() : delim;
            boolean trimBefore = delim >= 0 && hasLeftTrimMarker(delim + LEFT_DELIM.length());
            int from = start;
            if (trimLeadingText) {
                while (from < textEnd && isSpace(src.charAt(from))) {
                    from++;
                }
            }
            int to = textEnd;
            if (trimBefore) {
                while (to > from && isSpace(src.charAt(to - 1))) {
                    to--;
                }
            }
            if (to > from) {
                tokens.add(new Token(Kind.TEXT, src.substring(from, to), from));
            }
            if (delim < 0) {
                tokens.add(new Token(Kind.EOF, "", src.length()));
                return;
            }
            pos = delim + LEFT_DELIM.length() + (trimBefore ? 2 : 0);
            if (src.startsWith("/*", pos)) {
                trimLeadingText = comment(delim);
            } else {
                tokens.add(new Token(Kind.LEFT, LEFT_DELIM, delim));
                trimLeadingText = insideAction();
            }
        }
    }

    /** Skips a comment; returns whether it ended with a right trim marker. */
    private boolean comment(int actionStart) {
        int end = src.indexOf("*/", pos + 2);
        if (end < 0) {
            throw error(actionStart, "unclosed comment");
        }
        pos = end + 2;
        if (src.startsWith(RIGHT_DELIM, pos)) {
            pos += RIGHT_DELIM.length();
            return false;
        }
        if (hasRightTrimMarker(pos)) {
            pos += 2 + RIGHT_DELIM.length();
            return true;
        }
        throw error(pos, "comment ends before closing delimiter");
    }

    /** Lexes one action up to its right delimiter; returns whether that had a trim marker. */
    private boolean insideAction() {
        parenDepth = 0;
        while (true) {
            boolean trim = hasRightTrimMarker(pos);
            if (trim || src.startsWith(RIGHT_DELIM, pos)) {
                if (parenDepth > 0) {
                    throw error(pos, "unclosed left paren");
                }
                int at = trim ? pos + 2 : pos;
                tokens.add(new Token(Kind.RIGHT, RIGHT_DELIM, at));
                pos = at + RIGHT_DELIM.length();
                return trim;
            }
            if (pos >= src.length()) {
                throw error(pos, "unclosed action");
            }
            char c = src.charAt(pos);
            int start = pos;
            if (isSpace(c)) {
                while (pos < src.length() && isSpace(src.charAt(pos)) && !hasRightTrimMarker(pos)) {
                    pos++;
                }
                if (pos == start) {
                    pos++;
                }
                emit(Kind.SPACE, start);
            } else if (c == '=') {
                pos++;
                emit(Kind.ASSIGN, start);
            } else if (c == ':') {
                if (!src.startsWith(":=", pos)) {
                    throw error(pos, "expected :=");
                }
                pos += 2;
                emit(Kind.DECLARE, start);
            } else if (c == '|') {
                pos++;
                emit(Kind.PIPE, start);
            } else if (c == ',') {
                pos++;
                emit(Kind.COMMA, start);
            } else if (c == '"') {
                quote(start);
            } else if (c == '`') {
                rawQuote(start);
            } else if (c == '\'') {
                charConstant(start);
            } else if (c == '$') {
                pos++;
                word(Kind.VARIABLE, start);
            } else if (c == '.') {
                if (pos + 1 < src.length() && isDigit(src.charAt(pos + 1))) {
                    number(start);
                } else {
                    pos++;
                    word(Kind.FIELD, start);
                }
            } else if (c == '+' || c == '-' || isDigit(c)) {
                number(start);
            } else if (isAlphaNumeric(c)) {
                word(Kind.IDENT, start);
            } else if (c == '(') {
                pos++;
                parenDepth++;
                emit(Kind.LEFT_PAREN, start);
            } else if (c == ')') {
                pos++;
                parenDepth--;
                if (parenDepth < 0) {
                    throw error(start, "unexpected right paren");
                }
                emit(Kind.RIGHT_PAREN, start);
            } else if (c < 0x7f && c >= ' ') {
                pos++;
                emit(Kind.OTHER, start);
            } else {
                throw error(start, "unrecognized character in action: " + Fmt.unicodeName(src.codePointAt(start)));
            }
        }
    }

    /** An identifier, keyword, {@code $variable} or {@code .Field}; {@code start} is before any sigil. */
    private void word(Kind kind, int start) {
        while (pos < src.length() && isAlphaNumeric(src.charAt(pos))) {
            pos++;
        }
        if (!atTerminator()) {
            throw error(pos, "bad character " + Fmt.unicodeName(src.codePointAt(pos)));
        }
        String text = src.substring(start, pos);
        if (kind == Kind.FIELD && text.equals(".")) {
            kind = Kind.DOT;
        } else if (kind == Kind.IDENT) {
            kind = KEYWORDS.getOrDefault(text, Kind.IDENT);
        }
        tokens.add(new Token(kind, text, start));
    }

    private void number(int start) {
        if (src.charAt(pos) == '+' || src.charAt(pos) == '-') {
            pos++;
        }
        String digits = "0123456789_";
        if (src.startsWith("0x", pos) || src.startsWith("0X", pos)) {
            pos += 2;
            digits = "0123456789abcdefABCDEF_";
        } else if (src.startsWith("0o", pos) || src.startsWith("0O", pos)) {
            pos += 2;
            digits = "01234567_";
        } else if (src.startsWith("0b", pos) || src.startsWith("0B", pos)) {
            pos += 2;
            digits = "01_";
        }
        acceptRun(digits);
        if (accept(".")) {
            acceptRun(digits);
        }
        if (digits.length() == 11 && accept("eE")) {
            accept("+-");
            acceptRun("0123456789_");
        } else if (digits.length() == 23 && accept("pP")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        accept("i");
        if (pos < src.length() && isAlphaNumeric(src.charAt(pos))) {
            pos++;
            throw error(start, "bad number syntax: " + Fmt.quote(src.substring(start, pos)));
        }
        emit(Kind.NUMBER, start);
    }

    private void quote(int start) {
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw error(start, "unterminated quoted string");
            }
            char c = src.charAt(pos++);
            if (c == '\\' && pos < src.length() && src.charAt(pos) != '\n') {
                pos++;
            } else if (c == '"') {
                break;
            }
        }
        emit(Kind.STRING, start);
    }

    private void rawQuote(int start) {
        int end = src.indexOf('`', pos + 1);
        if (end < 0) {
            throw error(start, "unterminated raw quoted string");
        }
        pos = end + 1;
        emit(Kind.RAW_STRING, start);
    }

    private void charConstant(int start) {
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw error(start, "unterminated character constant");
            }
            char c = src.charAt(pos++);
            if (c == '\\' && pos < src.length() && src.charAt(pos) != '\n') {
                pos++;
            } else if (c == '\'') {
                break;
            }
        }
        emit(Kind.CHAR_CONST, start);
    }

    private boolean accept(String valid) {
        if (pos < src.length() && valid.indexOf(src.charAt(pos)) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // consumed by accept
        }
    }

    private void emit(Kind kind, int start) {
        tokens.add(new Token(kind, src.substring(start, pos), start));
    }

    /** Whether what follows can end a word: Go's atTerminator. */
    private boolean atTerminator() {
        if (pos >= src.length()) {
            return true;
        }
        char c = src.charAt(pos);
        return isSpace(c) || c == '.' || c == ',' || c == '|' || c == ':' || c == ')' || c == '(' || c == '='
                || src.startsWith(RIGHT_DELIM, pos);
    }

    private boolean hasLeftTrimMarker(int at) {
        return at + 1 < src.length() && src.charAt(at) == '-' && isSpace(src.charAt(at + 1));
    }

    private boolean hasRightTrimMarker(int at) {
        return at + 1 < src.length() && isSpace(src.charAt(at)) && src.charAt(at + 1) == '-'
                && src.startsWith(RIGHT_DELIM, at + 2);
    }

    private TemplateException error(int at, String message) {
        tokens.add(new Token(Kind.ERROR, message, at));
        return new TemplateException(message);
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlphaNumeric(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
