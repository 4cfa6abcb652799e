package dev.gantry.engine;

import java.util.List;

/**
 * A process to run in a live container ({@code POST /containers/{id}/exec}).
 *
 * @param cmd        the command line; the executable is looked up in the container's PATH
 * @param env        {@code KEY=value} added to the container's environment
 * @param user       as {@link Config#user()}; null: the container's user
 * @param workingDir null: the container's working directory
 * @param tty        allocate a terminal (output is then one stream)
 * @param privileged every capability and no seccomp filter
 */
public record ExecRequest(List<String> cmd, List<String> env, String user, String workingDir, boolean tty,
        boolean privileged) {
    public ExecRequest {
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
    }

    public static ExecRequest of(String... cmd) {
        return new ExecRequest(List.of(cmd), null, null, null, false, false);
    }
}
