package dev.gantry.sys;

import java.util.List;
import java.util.Map;

/**
 * A process to start with posix_spawn(3): the executable path, its argv and envp, and the
 * file descriptors to place in the child ({@code fds} maps a child fd number to a parent fd;
 * fds 0–2 not mapped are inherited, every other fd is closed). The child always starts in a
 * new session with every signal reset to its default and an empty signal mask.
 */
public record SpawnRequest(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
    public SpawnRequest {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        fds = Map.copyOf(fds);
    }
}
