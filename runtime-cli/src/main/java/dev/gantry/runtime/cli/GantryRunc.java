package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * gantry-runc: the Gantry runtime behind runc's command line, so that podman, dockerd
 * (through containerd's shim) and anything else that drives runc can drive Gantry.
 */
@Command(name = "gantry-runc", mixinStandardHelpOptions = true, versionProvider = GantryRunc.Version.class,
        description = "Run OCI containers with the Gantry runtime (runc-compatible command line).",
        subcommands = {CreateCommand.class, StartCommand.class, StateCommand.class, KillCommand.class,
            DeleteCommand.class, RunCommand.class, ListCommand.class, SpecCommand.class, ExecCommand.class,
            PsCommand.class, FeaturesCommand.class, PauseCommand.class, ResumeCommand.class,
            UpdateCommand.class, EventsCommand.class})
public final class GantryRunc {
    @Option(names = "--root", description = "state directory (default: ${DEFAULT-VALUE})", defaultValue = "/run/gantry-runc")
    Path root;

    @Option(names = "--log", description = "also write errors and warnings to this file")
    Path log;

    @Option(names = "--log-format", description = "text or json (default: ${DEFAULT-VALUE})", defaultValue = "text")
    String logFormat;

    @Option(names = "--debug", description = "log debug messages")
    boolean debug;

    @Option(names = "--systemd-cgroup", description = "accepted for compatibility; a systemd cgroupsPath is refused")
    boolean systemdCgroup;

    @Option(names = "--rootless", description = "accepted for compatibility (true, false or auto)", arity = "0..1")
    String rootless;

    private Log logger;
    private final Syscalls sys = new LinuxSyscalls();

    Log log() {
        if (logger == null) {
            logger = new Log(log, "json".equals(logFormat), debug);
        }
        return logger;
    }

    Syscalls sys() {
        return sys;
    }

    ContainerRuntime runtime() {
        Supplier<HelperBinary> helper = memo(() -> HelperBinary.load(sys));
        return new ContainerRuntime(sys, root, helper, memo(HostFacts::probe), memo(Cgroups::host), log()::warn);
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

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GantryRunc.class.getPackage().getImplementationVersion();
            return new String[] {"gantry-runc version " + (v == null ? "dev" : v), "spec: 1.2.0"};
        }
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code. */
    public static int execute(String... args) {
        GantryRunc app = new GantryRunc();
        CommandLine cl = new CommandLine(app);
        // Like runc, options end at the first positional argument: in `exec ID sh -c …` and
        // `ps ID -ef` what follows the id belongs to the container's command.
        cl.setStopAtPositional(true);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String msg = e instanceof GantryException ? e.getMessage() : e.toString();
            app.log().error(msg);
            if (app.debug) {
                e.printStackTrace();
            }
            return 1;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            System.err.println("gantry-runc: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            return 1;
        });
        return cl.execute(args);
    }
}
