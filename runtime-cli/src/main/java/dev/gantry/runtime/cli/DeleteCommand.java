package dev.gantry.runtime.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "delete", description = "Delete a stopped container (with --force, kill it first).")
final class DeleteCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Option(names = {"-f", "--force"}, description = "kill the container if it is running")
    boolean force;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        try {
            app.runtime().delete(id, force);
        } catch (GantryException e) {
            // runc: `delete --force` of a container that does not exist succeeds.
            if (!(force && e.kind() == ErrorKind.NOT_FOUND)) {
                throw e;
            }
        }
        return 0;
    }
}
