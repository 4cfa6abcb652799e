package dev.gantry.api.docker.model;

import java.util.List;

/** The body of {@code POST /containers/{id}/exec}: the command to run in a running container. */
public record ExecConfig(
        Boolean attachStdin,
        Boolean attachStdout,
        Boolean attachStderr,
        List<Integer> consoleSize,
        String detachKeys,
        Boolean tty,
        List<String> env,
        List<String> cmd,
        Boolean privileged,
        String user,
        String workingDir) {}
