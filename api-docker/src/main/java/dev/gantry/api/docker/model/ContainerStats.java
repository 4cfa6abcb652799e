package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One sample of {@code GET /containers/{id}/stats} (swagger {@code ContainerStatsResponse}),
 * with the snake_case names Docker uses here. {@code precpu_stats} is the previous sample so
 * a client can compute CPU percentages; {@code read} and {@code preread} are RFC 3339.
 */
public record ContainerStats(
        @JsonProperty("name") String name,
        @JsonProperty("id") String id,
        @JsonProperty("read") String read,
        @JsonProperty("preread") String preread,
        @JsonProperty("pids_stats") PidsStats pidsStats,
        @JsonProperty("blkio_stats") BlkioStats blkioStats,
        @JsonProperty("num_procs") Integer numProcs,
        @JsonProperty("cpu_stats") CpuStats cpuStats,
        @JsonProperty("precpu_stats") CpuStats precpuStats,
        @JsonProperty("memory_stats") MemoryStats memoryStats,
        @JsonProperty("networks") Map<String, NetworkStats> networks) {

    public record PidsStats(@JsonProperty("current") Long current, @JsonProperty("limit") Long limit) {}

    public record BlkioStats(@JsonProperty("io_service_bytes_recursive") List<BlkioEntry> ioServiceBytesRecursive,
                             @JsonProperty("io_serviced_recursive") List<BlkioEntry> ioServicedRecursive) {}

    public record BlkioEntry(@JsonProperty("major") long major, @JsonProperty("minor") long minor, @JsonProperty("op") String op,
                             @JsonProperty("value") long value) {}

    /** CPU times in nanoseconds; {@code system_cpu_usage} is the host's total. */
    public record CpuStats(@JsonProperty("cpu_usage") CpuUsage cpuUsage, @JsonProperty("system_cpu_usage") Long systemCpuUsage,
                           @JsonProperty("online_cpus") Integer onlineCpus, @JsonProperty("throttling_data") Throttling throttlingData) {}

    public record CpuUsage(@JsonProperty("total_usage") long totalUsage, @JsonProperty("percpu_usage") List<Long> percpuUsage,
                           @JsonProperty("usage_in_kernelmode") long usageInKernelmode,
                           @JsonProperty("usage_in_usermode") long usageInUsermode) {}

    public record Throttling(@JsonProperty("periods") long periods, @JsonProperty("throttled_periods") long throttledPeriods,
                             @JsonProperty("throttled_time") long throttledTime) {}

    /** Bytes; {@code stats} holds the cgroup's memory.stat entries (cache, rss, inactive_file...). */
    public record MemoryStats(@JsonProperty("usage") Long usage, @JsonProperty("max_usage") Long maxUsage,
                              @JsonProperty("stats") Map<String, Long> stats, @JsonProperty("failcnt") Long failcnt,
                              @JsonProperty("limit") Long limit) {}

    public record NetworkStats(@JsonProperty("rx_bytes") long rxBytes, @JsonProperty("rx_packets") long rxPackets,
                               @JsonProperty("rx_errors") long rxErrors, @JsonProperty("rx_dropped") long rxDropped,
                               @JsonProperty("tx_bytes") long txBytes, @JsonProperty("tx_packets") long txPackets,
                               @JsonProperty("tx_errors") long txErrors, @JsonProperty("tx_dropped") long txDropped) {}
}
