package dev.gantry.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "start", description = "Start the process of a created container.")
final class StartCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        app.runtime().start(id);
        return 0;
    }
}
