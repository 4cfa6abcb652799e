package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer to {@code GET /exec/{id}/json}; {@code ExitCode} is null while running. */
public record ExecInspect(
        Boolean canRemove,
        @JsonProperty("ContainerID") String containerId,
        String detachKeys,
        Integer exitCode,
        @JsonProperty("ID") String id,
        Boolean openStderr,
        Boolean openStdin,
        Boolean openStdout,
        ProcessConfig processConfig,
        Boolean running,
        Integer pid) {

    /** Lower-case on the wire, as Docker has it. */
    public record ProcessConfig(
            @JsonProperty("arguments") List<String> arguments,
            @JsonProperty("entrypoint") String entrypoint,
            @JsonProperty("privileged") Boolean privileged,
            @JsonProperty("tty") Boolean tty,
            @JsonProperty("user") String user) {}

    public boolean hasTty() {
        return processConfig != null && Boolean.TRUE.equals(processConfig.tty());
    }
}
