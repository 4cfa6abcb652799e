package dev.gantry.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "pause", description = "Suspend every process of a container (cgroup freezer).")
final class PauseCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        app.runtime().pause(id);
        return 0;
    }
}
