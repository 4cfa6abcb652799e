package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * gantry-runc: the Gantry runtime behind runc's command line, so that podman, dockerd
 * (through containerd's shim) and anything else that drives runc can drive Gantry.
 * Global options come first, then the verb and its options (runc's convention).
 */
public final class GantryRunc {
    private static final List<Args.Opt> GLOBAL = List.of(
            Args.Opt.value("--root", null, "dir", "state directory (default /run/gantry-runc)"),
            Args.Opt.value("--log", null, "file", "also write errors and warnings to this file"),
            Args.Opt.value("--log-format", null, "text|json", "format of --log (default text)"),
            Args.Opt.flag("--debug", null, "log debug messages and stack traces"),
            Args.Opt.flag("--systemd-cgroup", null, "accepted for compatibility; a systemd cgroupsPath is refused"),
            Args.Opt.value("--rootless", null, "true|false|auto", "accepted for compatibility"),
            Args.Opt.value("--criu", null, "path", "accepted for compatibility (checkpointing is not supported)"),
            Args.Opt.flag("--help", "-h", "show this help"),
            Args.Opt.flag("--version", "-v", "print the version"));

    private static final Map<String, Supplier<Verb>> VERBS = new LinkedHashMap<>();

    static {
        VERBS.put("create", CreateCommand::new);
        VERBS.put("start", () -> new IdVerb("start", "Start the process of a created container.", ContainerRuntime::start));
        VERBS.put("state", StateCommand::new);
        VERBS.put("kill", KillCommand::new);
        VERBS.put("delete", DeleteCommand::new);
        VERBS.put("run", RunCommand::new);
        VERBS.put("list", ListCommand::new);
        VERBS.put("exec", ExecCommand::new);
        VERBS.put("ps", PsCommand::new);
        VERBS.put("pause", () -> new IdVerb("pause", "Suspend every process of a container (cgroup freezer).",
                ContainerRuntime::pause));
        VERBS.put("resume", () -> new IdVerb("resume", "Resume every process of a paused container.",
                ContainerRuntime::resume));
        VERBS.put("update", UpdateCommand::new);
        VERBS.put("events", EventsCommand::new);
        VERBS.put("spec", SpecCommand::new);
        VERBS.put("features", FeaturesCommand::new);
    }

    private final Path root;
    private final Path logFile;
    private final boolean jsonLog;
    private final boolean debug;
    private Log logger;
    private Syscalls sys;

    private GantryRunc(Args globals) {
        this.root = Path.of(globals.value("--root").orElse("/run/gantry-runc"));
        this.logFile = globals.value("--log").map(Path::of).orElse(null);
        this.jsonLog = globals.value("--log-format").orElse("text").equals("json");
        this.debug = globals.flag("--debug");
    }

    Log log() {
        if (logger == null) {
            logger = new Log(logFile, jsonLog, debug);
        }
        return logger;
    }

    Syscalls sys() {
        if (sys == null) {
            sys = new LinuxSyscalls();
        }
        return sys;
    }

    ContainerRuntime runtime() {
        Syscalls s = sys();
        return new ContainerRuntime(s, root, memo(() -> HelperBinary.load(s)), memo(HostFacts::probe),
                memo(Cgroups::host), log()::warn);
    }

    private static <T> Supplier<T> memo(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code. */
    public static int execute(String... argv) {
        GantryRunc app = null;
        try {
            Args globals = Args.parse("gantry-runc", GLOBAL, Arrays.asList(argv));
            app = new GantryRunc(globals);
            if (globals.flag("--version")) {
                String v = GantryRunc.class.getPackage().getImplementationVersion();
                System.out.println("gantry-runc version " + (v == null ? "dev" : v));
                System.out.println("spec: 1.2.0");
                return 0;
            }
            List<String> rest = globals.positionals();
            if (globals.flag("--help") || rest.isEmpty()) {
                usage(System.out);
                return rest.isEmpty() && !globals.flag("--help") ? 1 : 0;
            }
            String name = rest.getFirst().equals("ls") ? "list" : rest.getFirst();
            Supplier<Verb> make = VERBS.get(name);
            if (make == null) {
                throw GantryException.invalid("unknown command \"" + name + "\" (see gantry-runc --help)");
            }
            Verb verb = make.get();
            List<Args.Opt> opts = new java.util.ArrayList<>(verb.options());
            opts.add(Args.Opt.flag("--help", "-h", "show this help"));
            Args args = Args.parse(name, opts, rest.subList(1, rest.size()));
            if (args.flag("--help")) {
                verbUsage(verb, System.out);
                return 0;
            }
            return verb.run(app, args);
        } catch (GantryException e) {
            report(app, e.getMessage(), e);
            return 1;
        } catch (Exception e) {
            report(app, e.toString(), e);
            return 1;
        }
    }

    private static void report(GantryRunc app, String message, Exception e) {
        if (app == null) {
            System.err.println("gantry-runc: " + message);
            return;
        }
        app.log().error(message);
        if (app.debug) {
            e.printStackTrace();
        }
    }

    private static void usage(PrintStream out) {
        out.println("Usage: gantry-runc [global options] <command> [options] [arguments]");
        out.println();
        out.println("Run OCI containers with the Gantry runtime (runc-compatible command line).");
        out.println();
        out.println("Commands:");
        VERBS.forEach((name, make) -> out.printf("  %-9s %s%n", name, make.get().summary()));
        out.println();
        out.println("Global options:");
        options(GLOBAL, out);
    }

    private static void verbUsage(Verb verb, PrintStream out) {
        out.println("Usage: gantry-runc " + verb.name() + " " + verb.synopsis());
        out.println();
        out.println(verb.summary());
        if (!verb.options().isEmpty()) {
            out.println();
            out.println("Options:");
            options(verb.options(), out);
        }
    }

    private static void options(List<Args.Opt> opts, PrintStream out) {
        for (Args.Opt o : opts) {
            String names = (o.shortName() == null ? "    " : o.shortName() + ", ") + o.name()
                    + (o.takesValue() ? " <" + o.valueLabel() + ">" : "");
            out.printf("  %-34s %s%n", names, o.help());
        }
    }
}
