package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line in runc's convention: options come first, as {@code --name value},
 * {@code --name=value} or {@code -n value}; the first word that is not an option (or a
 * lone {@code --}) ends them, and everything after it is positional — so that in
 * {@code exec ID sh -c …} the {@code -c} belongs to the container's command.
 *
 * <p>Hand-written rather than a library: gantry-runc is started several times per
 * container by podman and containerd, and a general parser's start-up cost (its classes
 * cannot even be stored in the JDK's AOT cache when compiled for old class-file versions)
 * was most of gantry-runc's.
 */
final class Args {
    /** One option: its long name ("--bundle"), an optional short one ("-b"), and a value label or null for a flag. */
    record Opt(String name, String shortName, String valueLabel, String help) {
        static Opt flag(String name, String shortName, String help) {
            return new Opt(name, shortName, null, help);
        }

        static Opt value(String name, String shortName, String label, String help) {
            return new Opt(name, shortName, label, help);
        }

        boolean takesValue() {
            return valueLabel != null;
        }
    }

    private final Map<String, List<String>> values;
    private final List<String> positionals;

    private Args(Map<String, List<String>> values, List<String> positionals) {
        this.values = values;
        this.positionals = positionals;
    }

    static Args parse(String command, List<Opt> opts, List<String> argv) {
        Map<String, Opt> byName = new HashMap<>();
        for (Opt o : opts) {
            byName.put(o.name(), o);
            if (o.shortName() != null) {
                byName.put(o.shortName(), o);
            }
        }
        Map<String, List<String>> values = new HashMap<>();
        int i = 0;
        while (i < argv.size()) {
            String a = argv.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            Opt o = byName.get(name);
            if (o == null) {
                throw usage(command, "unknown option " + name);
            }
            String value;
            if (!o.takesValue()) {
                if (eq > 0) {
                    String v = a.substring(eq + 1);
                    if (!v.equals("true") && !v.equals("false")) {
                        throw usage(command, "option " + name + " takes no value");
                    }
                    value = v;
                } else {
                    value = "true";
                }
            } else if (eq > 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < argv.size()) {
                value = argv.get(++i);
            } else {
                throw usage(command, "option " + name + " needs a value (" + o.valueLabel() + ")");
            }
            values.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(value);
            i++;
        }
        return new Args(values, List.copyOf(argv.subList(i, argv.size())));
    }

    static GantryException usage(String command, String problem) {
        String help = command.equals("gantry-runc") ? "gantry-runc --help" : "gantry-runc " + command + " --help";
        return GantryException.invalid(command + ": " + problem + " (see " + help + ")");
    }

    boolean flag(String name) {
        List<String> v = values.get(name);
        return v != null && v.getLast().equals("true");
    }

    Optional<String> value(String name) {
        List<String> v = values.get(name);
        return v == null ? Optional.empty() : Optional.of(v.getLast());
    }

    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    Optional<Long> longValue(String command, String name) {
        return value(name).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw usage(command, "option " + name + " expects a number, got \"" + v + "\"");
            }
        });
    }

    List<String> positionals() {
        return positionals;
    }

    /** The positional at index i, which the command requires. */
    String positional(String command, int i, String label) {
        if (i >= positionals.size()) {
            throw usage(command, "missing " + label);
        }
        return positionals.get(i);
    }

    /** Fails if there are more than max positionals. */
    void atMost(String command, int max) {
        if (positionals.size() > max) {
            throw usage(command, "unexpected argument \"" + positionals.get(max) + "\"");
        }
    }
}
