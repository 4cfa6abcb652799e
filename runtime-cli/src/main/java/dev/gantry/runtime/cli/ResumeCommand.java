package dev.gantry.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "resume", description = "Resume every process of a paused container.")
final class ResumeCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        app.runtime().resume(id);
        return 0;
    }
}
