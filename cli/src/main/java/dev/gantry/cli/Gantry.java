package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code gantry} command line: global flags, then a command ({@code run}, {@code volume ls},
 * {@code container ls}…), its flags and arguments. Exit codes as docker's: 125 when the command
 * line or the daemon fails a {@code run}/{@code create}/{@code start}, 1 for other daemon errors,
 * 126/127 when the container's program cannot be invoked or found, the container's own code
 * otherwise.
 */
public final class Gantry {
    /** Docker's exit code for an error of the CLI or the daemon (not of the container). */
    public static final int EXIT_DOCKER = 125;

    static final List<Flag> GLOBAL_FLAGS = List.of(
            Flag.value("host", 'H', "Daemon socket to connect to (unix:///path); default $GANTRY_HOST, $DOCKER_HOST or unix:///run/gantry/gantry.sock"),
            Flag.bool("debug", 'D', "Accepted for docker compatibility (gantry prints only results and errors)"),
            Flag.value("log-level", 'l', "Set the logging level (ignored: gantry logs nothing but errors)"),
            Flag.value("config", "Location of client config files (accepted for docker compatibility)"),
            Flag.value("context", 'c', "Accepted for docker compatibility; use --host"),
            Flag.bool("version", 'v', "Print version information and quit"));

    private final Map<String, Command> commands;
    private final Map<String, String> env;
    private final Path launcherHome;

    public Gantry(Map<String, String> env, Path launcherHome) {
        this.env = env;
        this.launcherHome = launcherHome;
        this.commands = new LinkedHashMap<>();
        for (List<Command> family : List.of(ContainerCommands.all(), ImageCommands.all(), ResourceCommands.all(), SystemCommands.all())) {
            for (Command c : family) {
                commands.put(c.name(), c);
            }
        }
    }

    public static void main(String[] argv) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 16384), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        String home = System.getProperty("gantry.home");
        int code = new Gantry(System.getenv(), home == null ? null : Path.of(home))
                .run(Arrays.asList(argv), out, err, new FileInputStream(FileDescriptor.in));
        out.flush();
        err.flush();
        // halt, not exit: System.exit consults the System.Logger for Runtime.exit (java.logging
        // classes, ~3 ms); the only shutdown hook gantry registers (the terminal's restore) is
        // removed once the terminal is restored, and signals still run hooks.
        Runtime.getRuntime().halt(code);
    }

    public Map<String, Command> commands() {
        return commands;
    }

    /** Runs one command line and returns its exit code; every failure is printed on {@code err} as one line. */
    public int run(List<String> argv, PrintStream out, PrintStream err, java.io.InputStream in) {
        int i = 0;
        List<String> global = new ArrayList<>();
        // Global flags come before the command; those that take a value take the next token.
        while (i < argv.size() && argv.get(i).startsWith("-") && !argv.get(i).equals("-")) {
            String t = argv.get(i++);
            global.add(t);
            if ((t.equals("-H") || t.equals("--host") || t.equals("-l") || t.equals("--log-level") || t.equals("--config")
                    || t.equals("-c") || t.equals("--context")) && i < argv.size()) {
                global.add(argv.get(i++));
            }
        }
        Args globals;
        try {
            globals = Args.parse(GLOBAL_FLAGS, global, true);
        } catch (UsageException e) {
            err.println("gantry: " + e.getMessage() + "; see 'gantry --help'");
            return EXIT_DOCKER;
        }
        if (globals.bool("version")) {
            out.println("Gantry version " + SystemCommands.VERSION + ", API " + ApiClient.API_VERSION);
            return 0;
        }
        List<String> rest = argv.subList(i, argv.size());
        if (rest.isEmpty() || globals.help() || rest.getFirst().equals("help") && rest.size() == 1) {
            out.print(overview());
            return 0;
        }
        if (rest.getFirst().equals("help")) {
            rest = new ArrayList<>(rest.subList(1, rest.size()));
            rest.add("--help");
        }
        Resolved r = resolve(rest);
        if (r == null && GROUPS.contains(rest.getFirst())) {
            // A management command without (or with an unknown) subcommand: its list, as docker shows it.
            String group = rest.getFirst();
            boolean asked = rest.size() == 1 || rest.get(1).equals("--help") || rest.get(1).equals("-h");
            if (!asked) {
                err.println("gantry " + group + ": '" + rest.get(1) + "' is not a " + group + " command; see 'gantry " + group + " --help'");
                return EXIT_DOCKER;
            }
            out.print(groupHelp(group));
            return 0;
        }
        if (r == null) {
            err.println("gantry: '" + String.join(" ", rest.subList(0, Math.min(2, rest.size()))).split(" -")[0]
                    + "' is not a gantry command; see 'gantry --help'");
            return EXIT_DOCKER;
        }
        Command c = r.command();
        Args args;
        try {
            args = Args.parse(c.flags(), r.tail(), c.interspersed());
        } catch (UsageException e) {
            err.println("gantry " + c.name() + ": " + e.getMessage() + "; see 'gantry " + c.name() + " --help'");
            return EXIT_DOCKER;
        }
        if (args.help()) {
            out.print(c.help());
            return 0;
        }
        Path socket;
        try {
            socket = Session.socketFor(globals.value("host"), env);
        } catch (UsageException e) {
            err.println("gantry: " + e.getMessage());
            return EXIT_DOCKER;
        }
        try (Session s = new Session(socket, env, new DaemonStarter(launcherHome, env), out, err, in)) {
            return c.action().run(s, args);
        } catch (UsageException e) {
            out.flush();
            err.println("gantry " + c.name() + ": " + e.getMessage() + "; see 'gantry " + c.name() + " --help'");
            return EXIT_DOCKER;
        } catch (DaemonException e) {
            out.flush();
            err.println("Error response from daemon: " + e.getMessage());
            return daemonExit(c);
        } catch (GantryException e) {
            out.flush();
            err.println((e.kind() == ErrorKind.UNAVAILABLE || e.kind() == ErrorKind.PERMISSION_DENIED ? "gantry: " : "gantry " + c.name() + ": ")
                    + e.getMessage());
            return daemonExit(c);
        } catch (java.io.IOException e) {
            if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
                // The reader of our stdout went away (| head): as a Go CLI dies of SIGPIPE, stop quietly.
                return 141;
            }
            out.flush();
            err.println("gantry " + c.name() + ": " + e.getMessage());
            return daemonExit(c);
        } catch (Exception e) {
            out.flush();
            err.println("gantry " + c.name() + ": " + e);
            return daemonExit(c);
        }
    }

    /** docker exits 125 when run/create/start fail before the container's program runs, 1 otherwise. */
    private static int daemonExit(Command c) {
        return switch (c.name()) {
            case "run", "create", "start" -> EXIT_DOCKER;
            default -> 1;
        };
    }

    record Resolved(Command command, List<String> tail) {}

    /**
     * The command named by the first one or two tokens: a management form ({@code volume ls},
     * {@code container ls}, {@code image rm}) or a top-level verb.
     */
    Resolved resolve(List<String> tokens) {
        String first = tokens.getFirst();
        if (tokens.size() > 1) {
            String two = first + " " + tokens.get(1);
            Command c = commands.get(two);
            if (c == null) {
                c = commands.get(alias(first, tokens.get(1)));
            }
            if (c != null) {
                return new Resolved(c, tokens.subList(2, tokens.size()));
            }
        }
        Command c = commands.get(first);
        return c == null ? null : new Resolved(c, tokens.subList(1, tokens.size()));
    }

    /** docker's management commands ({@code container ls}, {@code image rm}) as the top-level verbs they alias. */
    private static String alias(String group, String verb) {
        return switch (group) {
            case "container" -> switch (verb) {
                case "ls", "list" -> "ps";
                case "remove" -> "rm";
                case "prune" -> "container prune";
                default -> verb;
            };
            case "image" -> switch (verb) {
                case "ls", "list" -> "images";
                case "rm", "remove" -> "rmi";
                case "prune" -> "image prune";
                default -> verb;
            };
            case "system" -> switch (verb) {
                case "info" -> "info";
                case "events" -> "events";
                default -> "";
            };
            default -> "";
        };
    }

    /** The management commands: {@code gantry volume ls}, {@code gantry container ls}… */
    static final List<String> GROUPS = List.of("container", "image", "volume", "network", "system");

    private String groupHelp(String group) {
        StringBuilder sb = new StringBuilder("\nUsage:  gantry " + group + " COMMAND\n\nCommands:\n");
        for (Command c : commands.values()) {
            String name = c.name();
            if (name.startsWith(group + " ")) {
                sb.append("  ").append(String.format("%-10s", name.substring(group.length() + 1))).append(c.summary()).append('\n');
            } else if (!name.contains(" ") && (group.equals("container") || group.equals("image")) && inGroup(group, name)) {
                String shown = switch (name) {
                    case "ps", "images" -> "ls";
                    case "rmi" -> "rm";
                    default -> name;
                };
                sb.append("  ").append(String.format("%-10s", shown)).append(c.summary()).append('\n');
            }
        }
        sb.append("\nRun 'gantry ").append(group).append(" COMMAND --help' for more information on a command.\n");
        return sb.toString();
    }

    private static boolean inGroup(String group, String verb) {
        List<String> images = List.of("images", "pull", "push", "tag", "rmi", "history", "save", "load", "import");
        List<String> other = List.of("info", "events", "version", "completion", "login", "logout");
        return group.equals("image") ? images.contains(verb) : !images.contains(verb) && !other.contains(verb);
    }

    String overview() {
        StringBuilder sb = new StringBuilder("\nUsage:  gantry [OPTIONS] COMMAND\n\nA docker-compatible command line for gantryd.\n\nCommands:\n");
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Command c : commands.values()) {
            sb.append("  ").append(c.name()).append(" ".repeat(width - c.name().length() + 2)).append(c.summary()).append('\n');
        }
        sb.append("\nGlobal Options:\n");
        for (Flag f : GLOBAL_FLAGS) {
            sb.append("  ").append(f.spelling()).append("   ").append(f.help()).append('\n');
        }
        sb.append("\nRun 'gantry COMMAND --help' for more information on a command.\n");
        return sb.toString();
    }
}
