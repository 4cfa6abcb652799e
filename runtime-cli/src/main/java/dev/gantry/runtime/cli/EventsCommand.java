package dev.gantry.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gantry.oci.runtime.OciJson;
import dev.gantry.runtime.ContainerEvent;
import dev.gantry.runtime.ContainerRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

@Command(name = "events", description = "Print a container's events as JSON lines until it stops: resource"
        + " statistics every --interval, and OOM notifications as they happen.")
final class EventsCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Option(names = "--interval", defaultValue = "5s", description = "time between statistics (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--stats", description = "print the statistics once and exit")
    boolean stats;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        ContainerRuntime rt = app.runtime();
        if (stats) {
            print(new ContainerEvent.Stats(id, rt.stats(id)));
            return 0;
        }
        rt.events(id, GoDuration.parse("--interval", interval), this::print);
        return 0;
    }

    private void print(ContainerEvent event) {
        try {
            System.out.println(OciJson.mapper().writeValueAsString(RuncEvent.of(event)));
            System.out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
