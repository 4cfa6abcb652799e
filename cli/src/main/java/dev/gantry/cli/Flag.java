package dev.gantry.cli;

/**
 * One command-line flag as docker spells it: a long name, an optional one-letter short name
 * ({@code 0} when none), and its kind. A {@link Kind#BOOL} flag takes no value ({@code --rm},
 * {@code --rm=false}); a {@link Kind#VALUE} flag takes one (the last given wins); a
 * {@link Kind#LIST} flag may be repeated and keeps every value in order.
 */
public record Flag(String name, char shortName, Kind kind, String help) {
    public enum Kind { BOOL, VALUE, LIST }

    public static Flag bool(String name, char shortName, String help) {
        return new Flag(name, shortName, Kind.BOOL, help);
    }

    public static Flag bool(String name, String help) {
        return new Flag(name, (char) 0, Kind.BOOL, help);
    }

    public static Flag value(String name, char shortName, String help) {
        return new Flag(name, shortName, Kind.VALUE, help);
    }

    public static Flag value(String name, String help) {
        return new Flag(name, (char) 0, Kind.VALUE, help);
    }

    public static Flag list(String name, char shortName, String help) {
        return new Flag(name, shortName, Kind.LIST, help);
    }

    public static Flag list(String name, String help) {
        return new Flag(name, (char) 0, Kind.LIST, help);
    }

    /** {@code -d, --detach} or {@code     --rm}, as the help's flag column shows it. */
    String spelling() {
        String value = kind == Kind.BOOL ? "" : kind == Kind.LIST ? " list" : " string";
        return (shortName == 0 ? "    " : "-" + shortName + ", ") + "--" + name + value;
    }
}
