package dev.gantry.runtime.cli;

import dev.gantry.oci.runtime.Signals;

import java.util.List;

final class KillCommand implements Verb {
    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String summary() {
        return "Send a signal (default SIGTERM) to a container's init, or with --all to all its processes.";
    }

    @Override
    public String synopsis() {
        return "[options] <container-id> [signal]";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.flag("--all", "-a", "signal every process of the container"));
    }

    @Override
    public int run(GantryRunc app, Args a) {
        String id = a.positional(name(), 0, "<container-id>");
        a.atMost(name(), 2);
        String signal = a.positionals().size() > 1 ? a.positionals().get(1) : "SIGTERM";
        app.runtime().kill(id, Signals.parse(signal), a.flag("--all"));
        return 0;
    }
}
