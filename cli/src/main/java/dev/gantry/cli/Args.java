package dev.gantry.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line of one command: flag values by long name, and the positional
 * arguments in order. {@link #parse} follows docker's (pflag's) syntax: {@code --flag=value},
 * {@code --flag value}, combined short flags ({@code -it}, {@code -p8080:80}), repeated list
 * flags, {@code --} ending the flags, and, for commands that run a program (run, create, exec),
 * the first positional argument ending them so that the program's own flags pass through.
 */
public record Args(Map<String, List<String>> values, List<String> positional, boolean help) {

    /**
     * Parses {@code tokens} against {@code flags}.
     *
     * @param interspersed whether flags may follow positional arguments ({@code gantry rm a -f});
     *     false for commands whose positional tail is a command line of its own
     * @throws UsageException naming the bad token
     */
    public static Args parse(List<Flag> flags, List<String> tokens, boolean interspersed) {
        Map<String, Flag> byLong = new HashMap<>();
        Map<Character, Flag> byShort = new HashMap<>();
        for (Flag f : flags) {
            byLong.put(f.name(), f);
            if (f.shortName() != 0) {
                byShort.put(f.shortName(), f);
            }
        }
        Map<String, List<String>> values = new HashMap<>();
        List<String> positional = new ArrayList<>();
        boolean help = false;
        boolean flagsEnded = false;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (flagsEnded || t.equals("-") || !t.startsWith("-")) {
                positional.add(t);
                if (!interspersed) {
                    flagsEnded = true;
                }
                continue;
            }
            if (t.equals("--")) {
                flagsEnded = true;
                continue;
            }
            if (t.startsWith("--")) {
                int eq = t.indexOf('=');
                String name = t.substring(2, eq < 0 ? t.length() : eq);
                Flag f = byLong.get(name);
                if (f == null) {
                    if (name.equals("help")) {
                        help = true;
                        continue;
                    }
                    throw new UsageException("unknown flag: --" + name);
                }
                String value;
                if (f.kind() == Flag.Kind.BOOL) {
                    value = eq < 0 ? "true" : boolValue(f, t.substring(eq + 1));
                } else if (eq >= 0) {
                    value = t.substring(eq + 1);
                } else if (i + 1 < tokens.size()) {
                    value = tokens.get(++i);
                } else {
                    throw new UsageException("flag needs an argument: --" + name);
                }
                put(values, f, value);
                continue;
            }
            // A group of short flags: each a bool, until one that takes a value eats the rest.
            for (int j = 1; j < t.length(); j++) {
                char c = t.charAt(j);
                Flag f = byShort.get(c);
                if (f == null) {
                    if (c == 'h') {
                        help = true;
                        continue;
                    }
                    throw new UsageException("unknown shorthand flag: '" + c + "' in " + t);
                }
                if (f.kind() == Flag.Kind.BOOL) {
                    if (j + 1 < t.length() && t.charAt(j + 1) == '=') {
                        put(values, f, boolValue(f, t.substring(j + 2)));
                        break;
                    }
                    put(values, f, "true");
                    continue;
                }
                String value;
                if (j + 1 < t.length()) {
                    value = t.substring(t.charAt(j + 1) == '=' ? j + 2 : j + 1);
                } else if (i + 1 < tokens.size()) {
                    value = tokens.get(++i);
                } else {
                    throw new UsageException("flag needs an argument: '" + c + "' in -" + c);
                }
                put(values, f, value);
                break;
            }
        }
        return new Args(values, List.copyOf(positional), help);
    }

    private static String boolValue(Flag f, String v) {
        return switch (v) {
            case "true", "1", "t", "T", "TRUE", "True" -> "true";
            case "false", "0", "f", "F", "FALSE", "False" -> "false";
            default -> throw new UsageException("invalid argument \"" + v + "\" for \"--" + f.name() + "\" flag: expected true or false");
        };
    }

    private static void put(Map<String, List<String>> values, Flag f, String value) {
        List<String> l = values.computeIfAbsent(f.name(), k -> new ArrayList<>());
        if (f.kind() != Flag.Kind.LIST) {
            l.clear();
        }
        l.add(value);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean bool(String name) {
        List<String> l = values.get(name);
        return l != null && "true".equals(l.getLast());
    }

    /** The flag's value, or {@code null} when it was not given. */
    public String value(String name) {
        List<String> l = values.get(name);
        return l == null ? null : l.getLast();
    }

    public String value(String name, String otherwise) {
        String v = value(name);
        return v == null ? otherwise : v;
    }

    public List<String> list(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The flag's value as an int; a non-number is a usage error naming the flag. */
    public Integer integer(String name) {
        String v = value(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("invalid argument \"" + v + "\" for \"--" + name + "\" flag: expected an integer");
        }
    }
}
