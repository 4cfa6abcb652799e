package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The answer to {@code GET /info} (swagger {@code SystemInfo}): what {@code docker info}
 * prints. The host fields come from a {@code SystemInfoProvider}; the counts of containers
 * and images from the engine ({@link #withCounts}). {@code IPv4Forwarding} and
 * {@code BridgeNfIptables} are gone from the newest swagger but docker CLI 20.10 still reads
 * them to print its warnings.
 */
public record SystemInfo(
        @JsonProperty("ID") String id,
        Integer containers,
        Integer containersRunning,
        Integer containersPaused,
        Integer containersStopped,
        Integer images,
        String driver,
        List<List<String>> driverStatus,
        String dockerRootDir,
        Plugins plugins,
        Boolean memoryLimit,
        Boolean swapLimit,
        Boolean cpuCfsPeriod,
        Boolean cpuCfsQuota,
        @JsonProperty("CPUShares") Boolean cpuShares,
        @JsonProperty("CPUSet") Boolean cpuSet,
        Boolean pidsLimit,
        Boolean oomKillDisable,
        @JsonProperty("IPv4Forwarding") Boolean ipv4Forwarding,
        @JsonProperty("BridgeNfIptables") Boolean bridgeNfIptables,
        @JsonProperty("BridgeNfIp6tables") Boolean bridgeNfIp6tables,
        Boolean debug,
        @JsonProperty("NFd") Integer nFd,
        @JsonProperty("NGoroutines") Integer nGoroutines,
        String systemTime,
        String loggingDriver,
        String cgroupDriver,
        String cgroupVersion,
        @JsonProperty("NEventsListener") Integer nEventsListener,
        String kernelVersion,
        String operatingSystem,
        @JsonProperty("OSVersion") String osVersion,
        @JsonProperty("OSType") String osType,
        String architecture,
        @JsonProperty("NCPU") Integer ncpu,
        Long memTotal,
        String indexServerAddress,
        RegistryConfig registryConfig,
        String httpProxy,
        String httpsProxy,
        String noProxy,
        String name,
        List<String> labels,
        Boolean experimentalBuild,
        String serverVersion,
        Map<String, Runtime> runtimes,
        String defaultRuntime,
        Swarm swarm,
        Boolean liveRestoreEnabled,
        String isolation,
        String initBinary,
        Commit containerdCommit,
        Commit runcCommit,
        Commit initCommit,
        List<String> securityOptions,
        List<String> warnings) {

    /** The plugin names per kind that {@code docker info} lists. */
    public record Plugins(List<String> volume, List<String> network, List<String> authorization, List<String> log) {}

    public record RegistryConfig(@JsonProperty("InsecureRegistryCIDRs") List<String> insecureRegistryCidrs,
                                 Map<String, IndexInfo> indexConfigs, List<String> mirrors) {}

    public record IndexInfo(String name, List<String> mirrors, Boolean secure, Boolean official) {}

    /** An OCI runtime the daemon can use: a binary path and its extra arguments (lower-case names). */
    public record Runtime(@JsonProperty("path") String path, @JsonProperty("runtimeArgs") List<String> runtimeArgs) {}

    /** Swarm is not part of Gantry: always {@code LocalNodeState: "inactive"}. */
    public record Swarm(@JsonProperty("NodeID") String nodeId, String nodeAddr, String localNodeState, Boolean controlAvailable,
                        String error) {
        public static final Swarm INACTIVE = new Swarm("", "", "inactive", false, "");
    }

    /** The version of a component the daemon relies on, {@code ID} and the {@code Expected} one. */
    public record Commit(@JsonProperty("ID") String id, String expected) {}

    /** The same information with the engine's counts filled in. */
    public SystemInfo withCounts(int containers, int running, int paused, int stopped, int images) {
        return new SystemInfo(id, containers, running, paused, stopped, images, driver, driverStatus, dockerRootDir, plugins, memoryLimit,
                swapLimit, cpuCfsPeriod, cpuCfsQuota, cpuShares, cpuSet, pidsLimit, oomKillDisable, ipv4Forwarding, bridgeNfIptables,
                bridgeNfIp6tables, debug, nFd, nGoroutines, systemTime, loggingDriver, cgroupDriver, cgroupVersion, nEventsListener,
                kernelVersion, operatingSystem, osVersion, osType, architecture, ncpu, memTotal, indexServerAddress, registryConfig,
                httpProxy, httpsProxy, noProxy, name, labels, experimentalBuild, serverVersion, runtimes, defaultRuntime, swarm,
                liveRestoreEnabled, isolation, initBinary, containerdCommit, runcCommit, initCommit, securityOptions, warnings);
    }
}
