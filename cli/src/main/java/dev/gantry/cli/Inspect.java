package dev.gantry.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code inspect}: each name is looked up as the {@code --type} says, or as a container, then an
 * image, volume and network (docker's order); the objects print as one indented JSON array, or
 * one line each through {@code --format}. A name found nowhere is "No such object", exit 1.
 */
final class Inspect {
    private Inspect() {}

    static int run(Session s, Args a) {
        ContainerCommands.arity(s, a, "inspect", 1);
        String type = a.value("type");
        if (type != null && !List.of("container", "image", "volume", "network").contains(type)) {
            throw new UsageException("\"" + type + "\" is not a valid value for --type: use container, image, volume or network");
        }
        List<Object> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : a.positional()) {
            Object o = lookup(s, name, type, a.bool("size"));
            if (o == null) {
                missing.add(name);
            } else {
                found.add(o);
            }
        }
        String format = a.value("format");
        if (format == null || format.isEmpty()) {
            s.out.println(Json.writeIndented(found));
        } else {
            Formatter.each(s.out, format, found);
        }
        s.out.flush();
        for (String m : missing) {
            s.err.println("Error: No such " + (type == null ? "object" : type) + ": " + m);
        }
        return missing.isEmpty() ? 0 : 1;
    }

    static Object lookup(Session s, String name, String type, boolean size) {
        List<String> paths = new ArrayList<>();
        if (type == null || type.equals("container")) {
            paths.add(Query.path("/containers/%s/json", name).flag("size", size).toString());
        }
        if (type == null || type.equals("image")) {
            paths.add(Query.path("/images/%s/json", name).toString());
        }
        if (type == null || type.equals("volume")) {
            paths.add(Query.path("/volumes/%s", name).toString());
        }
        if (type == null || type.equals("network")) {
            paths.add(Query.path("/networks/%s", name).toString());
        }
        for (String p : paths) {
            try {
                return s.api().call("GET", p, null).json();
            } catch (DaemonException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        return null;
    }
}
