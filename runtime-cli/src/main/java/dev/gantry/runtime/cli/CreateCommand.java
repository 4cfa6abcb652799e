package dev.gantry.runtime.cli;

import dev.gantry.runtime.Console;
import dev.gantry.runtime.CreateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "create", description = "Create a container from a bundle; its process waits for start.")
final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Option(names = {"-b", "--bundle"}, description = "bundle directory (default: current directory)", defaultValue = ".")
    Path bundle;

    @Option(names = "--pid-file", description = "write the init's pid to this file")
    Path pidFile;

    @Option(names = "--console-socket", description = "AF_UNIX socket that receives the terminal master")
    Path consoleSocket;

    @Option(names = "--no-pivot", description = "use MS_MOVE and chroot instead of pivot_root")
    boolean noPivot;

    @Option(names = "--no-new-keyring", description = "accepted for compatibility")
    boolean noNewKeyring;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        Console console = consoleSocket == null ? null : new Console.SocketPath(consoleSocket);
        app.runtime().create(id, bundle, new CreateOptions(console, pidFile, noPivot, Map.of()));
        return 0;
    }
}
