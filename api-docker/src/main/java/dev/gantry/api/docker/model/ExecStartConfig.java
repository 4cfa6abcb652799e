package dev.gantry.api.docker.model;

import java.util.List;

/** The body of {@code POST /exec/{id}/start}: run detached, or attached over a hijacked connection. */
public record ExecStartConfig(Boolean detach, Boolean tty, List<Integer> consoleSize) {}
