package dev.gantry.snapshot;

import java.util.List;

/** One mount(2) to perform: file-system type, source and options as the mount command spells them. */
public record Mount(String type, String source, List<String> options) {
    public Mount {
        options = List.copyOf(options);
    }
}
