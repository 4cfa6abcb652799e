package dev.gantry.engine;

import java.util.List;

/** A container just created: its id and warnings about settings the host cannot honour exactly. */
public record Created(String id, List<String> warnings) {
    public Created {
        warnings = List.copyOf(warnings);
    }
}
