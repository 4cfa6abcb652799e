package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;

/**
 * The host-dependent configuration of a container (swagger {@code HostConfig}): mounts,
 * ports, restart policy, namespaces, security options, and the {@link Resources} fields that
 * Docker inlines here (never null: all its fields are null when none is set). Null means "not set".
 */
public record HostConfig(
        // Docker inlines the Resources fields here: on the wire they are HostConfig's own.
        @JsonUnwrapped Resources resources,
        // Host configuration proper.
        List<String> binds,
        @JsonProperty("ContainerIDFile") String containerIdFile,
        LogConfig logConfig,
        String networkMode,
        Map<String, List<PortBinding>> portBindings,
        RestartPolicy restartPolicy,
        Boolean autoRemove,
        String volumeDriver,
        List<String> volumesFrom,
        List<Mount> mounts,
        List<Integer> consoleSize,
        Map<String, String> annotations,
        List<String> capAdd,
        List<String> capDrop,
        String cgroupnsMode,
        List<String> dns,
        List<String> dnsOptions,
        List<String> dnsSearch,
        List<String> extraHosts,
        List<String> groupAdd,
        String ipcMode,
        String cgroup,
        List<String> links,
        Integer oomScoreAdj,
        String pidMode,
        Boolean privileged,
        Boolean publishAllPorts,
        Boolean readonlyRootfs,
        List<String> securityOpt,
        Map<String, String> storageOpt,
        Map<String, String> tmpfs,
        @JsonProperty("UTSMode") String utsMode,
        String usernsMode,
        Long shmSize,
        Map<String, String> sysctls,
        String runtime,
        String isolation,
        List<String> maskedPaths,
        List<String> readonlyPaths) {
}
