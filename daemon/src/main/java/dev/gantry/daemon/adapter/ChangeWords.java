package dev.gantry.daemon.adapter;

import dev.gantry.base.GantryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words of a change's arguments as a Dockerfile's parser sees them, without {@code $VAR}
 * expansion. A <em>raw word</em> is a run of characters up to white space outside quotes, its
 * quotes and escapes still in it; <em>unquoting</em> a word removes them as the shell would:
 * outside quotes a backslash takes the next character literally, within single quotes nothing
 * is special, within double quotes a backslash escapes only {@code "}, {@code $} and itself.
 */
final class ChangeWords {
    private ChangeWords() {
    }

    /**
     * LABEL and ENV pairs: {@code k=v "k 2"="v 2"}, each word split at its first {@code =} and
     * both sides unquoted; or, when the first word has no {@code =}, the older {@code k v with
     * spaces} form that sets one key to the rest of the line.
     */
    static Map<String, String> pairs(String keyword, String rest, String line) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> words = rawWords(rest);
        if (!words.getFirst().contains("=")) {
            int space = indexOfSpace(rest);
            if (space < 0) {
                throw GantryException.invalid("changes: " + keyword + " " + rest + " has no value: " + line);
            }
            out.put(key(keyword, rest.substring(0, space), line), unquote(rest.substring(space).strip(), line));
            return out;
        }
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw GantryException.invalid("changes: " + word + " is not key=value: " + line);
            }
            out.put(key(keyword, word.substring(0, eq), line), unquote(word.substring(eq + 1), line));
        }
        return out;
    }

    private static String key(String keyword, String raw, String line) {
        String key = unquote(raw, line);
        if (key.isEmpty()) {
            throw GantryException.invalid("changes: " + keyword + " names can not be blank: " + line);
        }
        return key;
    }

    /** Splits at white space outside quotes, keeping the quotes and escapes. */
    static List<String> rawWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quote != '\'' && i + 1 < s.length()) {
                word.append(c).append(s.charAt(++i));
            } else if (quote != 0) {
                quote = c == quote ? 0 : quote;
                word.append(c);
            } else if (Character.isWhitespace(c)) {
                if (!word.isEmpty()) {
                    out.add(word.toString());
                    word.setLength(0);
                }
            } else {
                quote = c == '"' || c == '\'' ? c : 0;
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            out.add(word.toString());
        }
        return out;
    }

    /** The word without its quotes and escapes; white space outside quotes stays as it is. */
    static String unquote(String s, String line) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    out.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < s.length() && "\"$\\".indexOf(s.charAt(i + 1)) >= 0) {
                    out.append(s.charAt(++i));
                } else {
                    out.append(c);
                }
            } else if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else {
                out.append(c);
            }
        }
        if (quote != 0) {
            throw GantryException.invalid("changes: unterminated quote: " + line);
        }
        return out.toString();
    }

    static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
