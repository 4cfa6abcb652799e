package dev.gantry.runtime.cli;

import dev.gantry.runtime.ContainerRuntime;

import java.util.List;
import java.util.function.BiConsumer;

/** A verb that takes only a container id and calls one runtime operation (start, pause, resume). */
record IdVerb(String name, String summary, BiConsumer<ContainerRuntime, String> action) implements Verb {
    @Override
    public String synopsis() {
        return "<container-id>";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of();
    }

    @Override
    public int run(GantryRunc app, Args a) {
        String id = a.positional(name, 0, "<container-id>");
        a.atMost(name, 1);
        action.accept(app.runtime(), id);
        return 0;
    }
}
