package dev.gantry.runtime.cli;

import dev.gantry.runtime.Console;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.CreateOptions;
import dev.gantry.sys.ExitStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "run", description = "Create and start a container; without -d, wait for it and delete it.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Option(names = {"-b", "--bundle"}, description = "bundle directory (default: current directory)", defaultValue = ".")
    Path bundle;

    @Option(names = {"-d", "--detach"}, description = "return once the container is started")
    boolean detach;

    @Option(names = "--pid-file", description = "write the init's pid to this file")
    Path pidFile;

    @Option(names = "--console-socket", description = "AF_UNIX socket that receives the terminal master")
    Path consoleSocket;

    @Option(names = "--no-pivot", description = "use MS_MOVE and chroot instead of pivot_root")
    boolean noPivot;

    @Option(names = "--keep", description = "do not delete the container after it exits")
    boolean keep;

    @Option(names = "--no-new-keyring", description = "accepted for compatibility")
    boolean noNewKeyring;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        ContainerRuntime rt = app.runtime();
        AtomicReference<TerminalProxy> proxy = new AtomicReference<>();
        Console console = consoleSocket != null ? new Console.SocketPath(consoleSocket)
                : detach ? null : new Console.Receiver(master -> proxy.set(new TerminalProxy(app.sys(), master)));
        ContainerRuntime.Created c = rt.create(id, bundle, new CreateOptions(console, pidFile, noPivot, Map.of()));
        try {
            rt.start(id);
        } catch (RuntimeException e) {
            rt.delete(id, true);
            throw e;
        }
        if (detach) {
            return 0;
        }
        // Ctrl-C or a TERM to this process reaches the container, as with runc's signal proxy.
        Thread forward = new Thread(() -> {
            try {
                rt.kill(id, 15, false);
            } catch (RuntimeException ignored) {
                // already stopped
            }
        });
        Runtime.getRuntime().addShutdownHook(forward);
        ExitStatus st = rt.waitForInit(c);
        Runtime.getRuntime().removeShutdownHook(forward);
        if (proxy.get() != null) {
            proxy.get().finish();
        }
        if (!keep) {
            rt.delete(id, true);
        }
        return st.shellCode();
    }
}
