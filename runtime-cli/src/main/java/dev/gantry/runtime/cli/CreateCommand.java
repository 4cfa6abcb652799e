package dev.gantry.runtime.cli;

import dev.gantry.runtime.Console;
import dev.gantry.runtime.CreateOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

final class CreateCommand implements Verb {
    /** The options create and run share. */
    static final List<Args.Opt> BUNDLE_OPTIONS = List.of(
            Args.Opt.value("--bundle", "-b", "dir", "bundle directory (default: current directory)"),
            Args.Opt.value("--pid-file", null, "file", "write the init's pid to this file"),
            Args.Opt.value("--console-socket", null, "path", "AF_UNIX socket that receives the terminal master"),
            Args.Opt.flag("--no-pivot", null, "use MS_MOVE and chroot instead of pivot_root"),
            Args.Opt.flag("--no-new-keyring", null, "accepted for compatibility"));

    @Override
    public String name() {
        return "create";
    }

    @Override
    public String summary() {
        return "Create a container from a bundle; its process waits for start.";
    }

    @Override
    public String synopsis() {
        return "[options] <container-id>";
    }

    @Override
    public List<Args.Opt> options() {
        return BUNDLE_OPTIONS;
    }

    @Override
    public int run(GantryRunc app, Args a) {
        String id = a.positional(name(), 0, "<container-id>");
        a.atMost(name(), 1);
        Console console = a.value("--console-socket").map(p -> (Console) new Console.SocketPath(Path.of(p))).orElse(null);
        app.runtime().create(id, bundle(a), new CreateOptions(console, pidFile(a), a.flag("--no-pivot"), Map.of()));
        return 0;
    }

    static Path bundle(Args a) {
        return Path.of(a.value("--bundle").orElse("."));
    }

    static Path pidFile(Args a) {
        return a.value("--pid-file").map(Path::of).orElse(null);
    }
}
