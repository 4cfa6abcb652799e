package dev.gantry.runtime.cli;

import dev.gantry.oci.runtime.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "kill", description = "Send a signal (default SIGTERM) to a container's init, or with --all to all its processes.")
final class KillCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Option(names = {"-a", "--all"}, description = "signal every process of the container")
    boolean all;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Parameters(index = "1", paramLabel = "<signal>", defaultValue = "SIGTERM", description = "name (KILL, SIGKILL) or number")
    String signal;

    @Override
    public Integer call() {
        app.runtime().kill(id, Signals.parse(signal), all);
        return 0;
    }
}
