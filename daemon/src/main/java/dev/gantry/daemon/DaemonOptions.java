package dev.gantry.daemon;

import dev.gantry.base.GantryException;
import dev.gantry.engine.net.NetworkDefaults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * gantryd's command line: {@code --root} (persistent state: images, containers, volumes),
 * {@code --exec-root} (runtime state that dies with the machine, the pid file and the default
 * socket), {@code -H/--host unix://PATH} (where the API listens), {@code --insecure-registry}
 * (repeatable: registries reached over plain HTTP), {@code --debug}, and the OCI runtimes
 * ({@code --add-runtime}, {@code --default-runtime}, {@code --config-file}: see {@link RuntimeOptions}).
 * Networking: {@code --bridge NAME} (the default network's bridge device, default gantry0),
 * {@code --bip CIDR} (its subnet; default: the first free private pool) and
 * {@code --cni-plugin-dir DIR} (repeatable; default /usr/lib/cni then /opt/cni/bin).
 * Host: {@code --cgroup-favordynmods=false} leaves the cgroup2 mount's options alone (by default
 * gantryd sets {@code favordynmods} on it: see {@link dev.gantry.cgroups.Cgroups#favorDynamicModifications()});
 * {@code --rcu-expedited=false} leaves the kernel's {@code rcu_expedited} switch alone (by default
 * gantryd turns it on: see {@link RcuExpedited}).
 */
public record DaemonOptions(Path root, Path execRoot, Path socket, Set<String> insecureRegistries, boolean debug,
        RuntimeOptions runtimes, NetworkDefaults network, boolean favorDynmods, boolean rcuExpedited) {
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/gantry");
    public static final Path DEFAULT_EXEC_ROOT = Path.of("/run/gantry");

    public DaemonOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    /** The pid file, where init scripts and tests find the daemon. */
    public Path pidFile() {
        return execRoot.resolve("gantryd.pid");
    }

    /** Parses the arguments; an unknown option or a missing value is INVALID_ARGUMENT naming it. */
    public static DaemonOptions parse(List<String> args) {
        Path root = DEFAULT_ROOT;
        Path execRoot = DEFAULT_EXEC_ROOT;
        Path socket = null;
        Set<String> insecure = new LinkedHashSet<>();
        boolean debug = false;
        RuntimeOptions runtimes = RuntimeOptions.defaults();
        String bridge = NetworkDefaults.HOST.bridgeName();
        String bip = null;
        List<Path> pluginDirs = new ArrayList<>();
        boolean favorDynmods = true;
        boolean rcuExpedited = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "--debug", "-D" -> debug = true;
                case "--root", "--data-root", "-g" -> root = Path.of(inline != null ? inline : value(args, ++i, name));
                case "--exec-root", "--state" -> execRoot = Path.of(inline != null ? inline : value(args, ++i, name));
                case "--host", "-H" -> socket = unixSocket(inline != null ? inline : value(args, ++i, name));
                case "--insecure-registry" -> insecure.add(inline != null ? inline : value(args, ++i, name));
                case "--add-runtime" -> runtimes = runtimes.withAdded(inline != null ? inline : value(args, ++i, name));
                case "--default-runtime" -> runtimes = runtimes.withDefault(inline != null ? inline : value(args, ++i, name));
                case "--config-file" -> runtimes = runtimes.withConfigFile(Path.of(inline != null ? inline : value(args, ++i, name)));
                case "--bridge", "-b" -> bridge = inline != null ? inline : value(args, ++i, name);
                case "--bip" -> bip = inline != null ? inline : value(args, ++i, name);
                case "--cni-plugin-dir" -> pluginDirs.add(Path.of(inline != null ? inline : value(args, ++i, name)));
                case "--cgroup-favordynmods" -> favorDynmods = bool(inline, name);
                case "--rcu-expedited" -> rcuExpedited = bool(inline, name);
                default -> throw GantryException.invalid("gantryd: unknown option " + arg);
            }
        }
        NetworkDefaults network = NetworkDefaults.HOST.withBridge(bridge, bip);
        if (!pluginDirs.isEmpty()) {
            network = network.withPluginDirs(pluginDirs);
        }
        return new DaemonOptions(root, execRoot, socket != null ? socket : execRoot.resolve("gantry.sock"), insecure, debug, runtimes,
                network, favorDynmods, rcuExpedited);
    }

    /** A boolean option as dockerd takes them: {@code --name} alone is true, else {@code --name=true|false}. */
    private static boolean bool(String inline, String option) {
        if (inline == null || inline.equals("true")) {
            return true;
        }
        if (inline.equals("false")) {
            return false;
        }
        throw GantryException.invalid("gantryd: option " + option + " takes true or false, not " + inline);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw GantryException.invalid("gantryd: option " + option + " needs a value");
        }
        return args.get(index);
    }

    private static Path unixSocket(String address) {
        if (address.startsWith("unix://")) {
            return Path.of(address.substring("unix://".length()));
        }
        if (address.startsWith("/")) {
            return Path.of(address);
        }
        throw GantryException.invalid("gantryd: --host " + address + ": only unix://PATH is supported");
    }
}
