package dev.gantry.runtime.cli;

import dev.gantry.runtime.Console;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.CreateOptions;
import dev.gantry.sys.ExitStatus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

final class RunCommand implements Verb {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "Create and start a container; without -d, wait for it and delete it.";
    }

    @Override
    public String synopsis() {
        return "[options] <container-id>";
    }

    @Override
    public List<Args.Opt> options() {
        List<Args.Opt> opts = new ArrayList<>(CreateCommand.BUNDLE_OPTIONS);
        opts.add(Args.Opt.flag("--detach", "-d", "return once the container is started"));
        opts.add(Args.Opt.flag("--keep", null, "do not delete the container after it exits"));
        return opts;
    }

    @Override
    public int run(GantryRunc app, Args a) throws Exception {
        String id = a.positional(name(), 0, "<container-id>");
        a.atMost(name(), 1);
        boolean detach = a.flag("--detach");
        ContainerRuntime rt = app.runtime();
        AtomicReference<TerminalProxy> proxy = new AtomicReference<>();
        Console console = a.value("--console-socket").map(p -> (Console) new Console.SocketPath(Path.of(p)))
                .orElse(detach ? null : new Console.Receiver(master -> proxy.set(new TerminalProxy(app.sys(), master))));
        ContainerRuntime.Created c = rt.create(id, CreateCommand.bundle(a),
                new CreateOptions(console, CreateCommand.pidFile(a), a.flag("--no-pivot"), Map.of()));
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
        if (!a.flag("--keep")) {
            rt.delete(id, true);
        }
        return st.shellCode();
    }
}
