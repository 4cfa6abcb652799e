package dev.gantry.runtime.cli;

import dev.gantry.oci.runtime.JsonTree;
import dev.gantry.runtime.ContainerEvent;
import dev.gantry.runtime.ContainerRuntime;

import java.util.List;

final class EventsCommand implements Verb {
    @Override
    public String name() {
        return "events";
    }

    @Override
    public String summary() {
        return "Print a container's events as JSON lines until it stops: resource statistics every --interval,"
                + " and OOM notifications as they happen.";
    }

    @Override
    public String synopsis() {
        return "[options] <container-id>";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--interval", null, "duration", "time between statistics (default 5s)"),
                Args.Opt.flag("--stats", null, "print the statistics once and exit"));
    }

    @Override
    public int run(GantryRunc app, Args a) {
        String id = a.positional(name(), 0, "<container-id>");
        a.atMost(name(), 1);
        ContainerRuntime rt = app.runtime();
        if (a.flag("--stats")) {
            print(new ContainerEvent.Stats(id, rt.stats(id)));
            return 0;
        }
        rt.events(id, GoDuration.parse("--interval", a.value("--interval").orElse("5s")), this::print);
        return 0;
    }

    private void print(ContainerEvent event) {
        System.out.println(new String(JsonTree.write(RuncEvent.of(event)), java.nio.charset.StandardCharsets.UTF_8));
        System.out.flush();
    }
}
