package dev.gantry.api.docker.model;

import java.util.List;
import java.util.Map;

/**
 * The portable part of a container's configuration (swagger {@code ContainerConfig}): what
 * runs and how, independent of the host. Also the body of {@code POST /commit} and the
 * {@code Config} of image and container inspect. Null means "not set".
 */
public record ContainerConfig(
        String hostname,
        String domainname,
        String user,
        Boolean attachStdin,
        Boolean attachStdout,
        Boolean attachStderr,
        Map<String, Object> exposedPorts,
        Boolean tty,
        Boolean openStdin,
        Boolean stdinOnce,
        List<String> env,
        List<String> cmd,
        HealthConfig healthcheck,
        Boolean argsEscaped,
        String image,
        Map<String, Object> volumes,
        String workingDir,
        List<String> entrypoint,
        Boolean networkDisabled,
        String macAddress,
        List<String> onBuild,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        List<String> shell) {

    /** True when the container was created with a terminal (its streams are not multiplexed). */
    public boolean hasTty() {
        return Boolean.TRUE.equals(tty);
    }
}
