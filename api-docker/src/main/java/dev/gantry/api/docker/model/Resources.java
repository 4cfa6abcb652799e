package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The resource limits of a container (swagger {@code Resources}). Docker inlines these
 * fields into {@code HostConfig}; {@link HostConfig#resources()} extracts them. Memory
 * values in bytes, CPU periods and quotas in microseconds, {@code NanoCpus} in 1e-9 CPUs.
 */
public record Resources(
        Long cpuShares,
        Long memory,
        String cgroupParent,
        Integer blkioWeight,
        List<WeightDevice> blkioWeightDevice,
        List<ThrottleDevice> blkioDeviceReadBps,
        List<ThrottleDevice> blkioDeviceWriteBps,
        List<ThrottleDevice> blkioDeviceReadIOps,
        List<ThrottleDevice> blkioDeviceWriteIOps,
        Long cpuPeriod,
        Long cpuQuota,
        Long cpuRealtimePeriod,
        Long cpuRealtimeRuntime,
        String cpusetCpus,
        String cpusetMems,
        List<DeviceMapping> devices,
        List<String> deviceCgroupRules,
        List<DeviceRequest> deviceRequests,
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
        @JsonProperty("IOMaximumBandwidth") Long ioMaximumBandwidth) {

    public record WeightDevice(String path, Integer weight) {}

    public record ThrottleDevice(String path, Long rate) {}

    public record DeviceRequest(String driver, Integer count, @JsonProperty("DeviceIDs") List<String> deviceIds,
                                List<List<String>> capabilities, Map<String, String> options) {}
}
