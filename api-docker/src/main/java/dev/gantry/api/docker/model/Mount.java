package dev.gantry.api.docker.model;

import java.util.List;
import java.util.Map;

/**
 * A mount requested in {@code HostConfig.Mounts}: {@code Type} is "bind", "volume", "tmpfs"
 * (and, in Docker, "image", "npipe", "cluster"); {@code Source} is a host path or a volume
 * name; {@code Target} is the path in the container.
 */
public record Mount(
        String target,
        String source,
        String type,
        Boolean readOnly,
        String consistency,
        BindOptions bindOptions,
        VolumeOptions volumeOptions,
        TmpfsOptions tmpfsOptions) {

    /** {@code Propagation}: private, rprivate, shared, rshared, slave, rslave. */
    public record BindOptions(String propagation, Boolean nonRecursive, Boolean createMountpoint, Boolean readOnlyNonRecursive,
                              Boolean readOnlyForceRecursive) {}

    public record VolumeOptions(Boolean noCopy, Map<String, String> labels, DriverConfig driverConfig, String subpath) {}

    public record DriverConfig(String name, Map<String, String> options) {}

    /** {@code SizeBytes} and {@code Mode} (an octal file mode as an integer); {@code Options} are [name, value] pairs. */
    public record TmpfsOptions(Long sizeBytes, Integer mode, List<List<String>> options) {}
}
