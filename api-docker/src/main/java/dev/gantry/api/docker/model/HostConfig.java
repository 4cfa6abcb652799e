package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The host-dependent configuration of a container (swagger {@code HostConfig}): mounts,
 * ports, restart policy, namespaces, security options, and the {@link Resources} fields that
 * Docker inlines here. Null means "not set".
 */
public record HostConfig(
        // Resources, inlined as on the wire.
        Long cpuShares,
        Long memory,
        String cgroupParent,
        Integer blkioWeight,
        List<Resources.WeightDevice> blkioWeightDevice,
        List<Resources.ThrottleDevice> blkioDeviceReadBps,
        List<Resources.ThrottleDevice> blkioDeviceWriteBps,
        List<Resources.ThrottleDevice> blkioDeviceReadIOps,
        List<Resources.ThrottleDevice> blkioDeviceWriteIOps,
        Long cpuPeriod,
        Long cpuQuota,
        Long cpuRealtimePeriod,
        Long cpuRealtimeRuntime,
        String cpusetCpus,
        String cpusetMems,
        List<DeviceMapping> devices,
        List<String> deviceCgroupRules,
        List<Resources.DeviceRequest> deviceRequests,
        Long memoryReservation,
        Long memorySwap,
        Long memorySwappiness,
        Long nanoCpus,
        Boolean oomKillDisable,
        Boolean init,
        Long pidsLimit,
        List<Ulimit> ulimits,
        Long cpuCount,
        Long cpuPercent,
        @JsonProperty("IOMaximumIOps") Long ioMaximumIOps,
        @JsonProperty("IOMaximumBandwidth") Long ioMaximumBandwidth,
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

    /** The inlined resource fields as their own value. */
    public Resources resources() {
        return new Resources(cpuShares, memory, cgroupParent, blkioWeight, blkioWeightDevice, blkioDeviceReadBps, blkioDeviceWriteBps,
                blkioDeviceReadIOps, blkioDeviceWriteIOps, cpuPeriod, cpuQuota, cpuRealtimePeriod, cpuRealtimeRuntime, cpusetCpus,
                cpusetMems, devices, deviceCgroupRules, deviceRequests, memoryReservation, memorySwap, memorySwappiness, nanoCpus,
                oomKillDisable, init, pidsLimit, ulimits, cpuCount, cpuPercent, ioMaximumIOps, ioMaximumBandwidth);
    }
}
