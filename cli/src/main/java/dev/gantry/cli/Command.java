package dev.gantry.cli;

import java.util.List;

/**
 * One gantry command: its name as typed ({@code run}, {@code volume ls}), usage line, one-line
 * summary, flags and action. {@code interspersed} is false for commands whose positional tail
 * is a program's command line (run, create, exec): the first positional argument ends the flags.
 */
public record Command(String name, String usage, String summary, List<Flag> flags, boolean interspersed, Action action) {

    /** What a command does with its parsed arguments; returns the process exit code. */
    @FunctionalInterface
    public interface Action {
        int run(Session session, Args args) throws Exception;
    }

    public static Command of(String name, String usage, String summary, List<Flag> flags, Action action) {
        return new Command(name, usage, summary, flags, true, action);
    }

    /** The command's {@code --help} text, laid out as docker's. */
    public String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("\nUsage:  gantry ").append(name).append(' ').append(usage).append("\n\n").append(summary).append('\n');
        if (!flags.isEmpty()) {
            sb.append("\nOptions:\n");
            int width = flags.stream().mapToInt(f -> f.spelling().length()).max().orElse(0);
            for (Flag f : flags) {
                sb.append("  ").append(f.spelling()).append(" ".repeat(width - f.spelling().length() + 3)).append(f.help()).append('\n');
            }
        }
        return sb.toString();
    }
}
