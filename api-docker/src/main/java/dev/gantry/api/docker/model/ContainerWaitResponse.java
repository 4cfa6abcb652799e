package dev.gantry.api.docker.model;

/** The answer to wait: the exit code and, when waiting itself failed, an error. */
public record ContainerWaitResponse(long statusCode, WaitError error) {
    public record WaitError(String message) {}
}
