package dev.gantry.engine;

import java.util.List;
import java.util.Map;

/**
 * The host-specific part of a container's configuration ({@code HostConfig} of
 * {@code POST /containers/create}), the subset Gantry applies. Zero (or null) means "not set".
 *
 * @param binds          {@code host-path:container-path[:options]} or {@code volume:container-path[:options]}
 *                       (options: ro, rw, z/Z ignored, nocopy, propagation)
 * @param mounts         structured mounts (bind, volume, tmpfs)
 * @param readonlyRootfs the root file system is mounted read-only
 * @param tmpfs          container path → tmpfs mount options ("size=64m,mode=1777")
 * @param memory         memory limit in bytes
 * @param memorySwap     memory plus swap limit in bytes; -1 unlimited swap; 0 with a memory limit: twice the memory
 * @param nanoCpus       CPU quota in units of 10⁻⁹ CPUs
 * @param cpuShares      relative CPU weight
 * @param cpusetCpus     CPUs the container may run on ("0-1", "0,1")
 * @param pidsLimit      maximum number of processes; null or ≤ 0: unlimited
 * @param ulimits        resource limits; never above the host's hard limit, which this engine cannot raise
 * @param capAdd         capabilities added to the default set ("NET_ADMIN" or "CAP_NET_ADMIN", "ALL")
 * @param capDrop        capabilities removed from it ("ALL" drops every one before capAdd applies)
 * @param privileged     every capability, every host device, no seccomp filter, no masked paths
 * @param securityOpt    {@code seccomp=unconfined}, {@code seccomp=<profile path or JSON>},
 *                       {@code no-new-privileges[:true|=true]}; {@code apparmor=} and {@code label=} are
 *                       accepted and have no effect (no LSM here)
 * @param devices        host devices made available in the container
 * @param sysctls        namespaced kernel parameters (net.* needs a network namespace of its own)
 * @param oomScoreAdj    the process's OOM score adjustment (-1000..1000)
 * @param shmSize        size of /dev/shm in bytes; 0: 64 MiB
 * @param networkMode    {@code bridge} (the default network, also for null and {@code default}), {@code host},
 *                       {@code none}, {@code container:<ref>} or a user-defined network's name or id
 * @param restartPolicy  see {@link RestartPolicy}
 * @param autoRemove     remove the container once its process exits (and it is not restarted)
 * @param logConfig      json-file rotation
 * @param init           run Gantry's init as PID 1 ({@code docker run --init}): it forwards signals to the
 *                       command, reaps orphaned processes and exits with the command's status
 * @param runtime        the OCI runtime that runs the container, by name ({@code docker run --runtime});
 *                       null or empty: the engine's default
 */
public record HostConfig(
        List<String> binds,
        List<MountSpec> mounts,
        boolean readonlyRootfs,
        Map<String, String> tmpfs,
        long memory,
        long memorySwap,
        long nanoCpus,
        long cpuShares,
        String cpusetCpus,
        Long pidsLimit,
        List<Ulimit> ulimits,
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        List<String> securityOpt,
        List<DeviceMapping> devices,
        Map<String, String> sysctls,
        int oomScoreAdj,
        long shmSize,
        String networkMode,
        RestartPolicy restartPolicy,
        boolean autoRemove,
        LogConfig logConfig,
        boolean init,
        String runtime) {

    /** One resource limit: {@code name} as Docker spells it ("nofile", "nproc", "core", ...). */
    public record Ulimit(String name, long soft, long hard) {
    }

    /**
     * A host device in the container.
     *
     * @param pathOnHost        e.g. /dev/fuse
     * @param pathInContainer   where it appears; null: the same path
     * @param cgroupPermissions some of "rwm"; null: "rwm"
     */
    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    }

    public HostConfig {
        binds = binds == null ? List.of() : List.copyOf(binds);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
        devices = devices == null ? List.of() : List.copyOf(devices);
        sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
        networkMode = networkMode == null || networkMode.isEmpty() || networkMode.equals("default") ? "bridge" : networkMode;
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        logConfig = logConfig == null ? LogConfig.DEFAULT : logConfig;
    }

    public static HostConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.binds = binds;
        b.mounts = mounts;
        b.readonlyRootfs = readonlyRootfs;
        b.tmpfs = tmpfs;
        b.memory = memory;
        b.memorySwap = memorySwap;
        b.nanoCpus = nanoCpus;
        b.cpuShares = cpuShares;
        b.cpusetCpus = cpusetCpus;
        b.pidsLimit = pidsLimit;
        b.ulimits = ulimits;
        b.capAdd = capAdd;
        b.capDrop = capDrop;
        b.privileged = privileged;
        b.securityOpt = securityOpt;
        b.devices = devices;
        b.sysctls = sysctls;
        b.oomScoreAdj = oomScoreAdj;
        b.shmSize = shmSize;
        b.networkMode = networkMode;
        b.restartPolicy = restartPolicy;
        b.autoRemove = autoRemove;
        b.logConfig = logConfig;
        b.init = init;
        b.runtime = runtime;
        return b;
    }

    /** Builds a HostConfig field by field; unset fields keep their "not set" values. */
    public static final class Builder {
        private List<String> binds;
        private List<MountSpec> mounts;
        private boolean readonlyRootfs;
        private Map<String, String> tmpfs;
        private long memory;
        private long memorySwap;
        private long nanoCpus;
        private long cpuShares;
        private String cpusetCpus;
        private Long pidsLimit;
        private List<Ulimit> ulimits;
        private List<String> capAdd;
        private List<String> capDrop;
        private boolean privileged;
        private List<String> securityOpt;
        private List<DeviceMapping> devices;
        private Map<String, String> sysctls;
        private int oomScoreAdj;
        private long shmSize;
        private String networkMode;
        private RestartPolicy restartPolicy;
        private boolean autoRemove;
        private LogConfig logConfig;
        private boolean init;
        private String runtime;

        private Builder() {
        }

        public Builder binds(List<String> v) { binds = v; return this; }
        public Builder mounts(List<MountSpec> v) { mounts = v; return this; }
        public Builder readonlyRootfs(boolean v) { readonlyRootfs = v; return this; }
        public Builder tmpfs(Map<String, String> v) { tmpfs = v; return this; }
        public Builder memory(long v) { memory = v; return this; }
        public Builder memorySwap(long v) { memorySwap = v; return this; }
        public Builder nanoCpus(long v) { nanoCpus = v; return this; }
        public Builder cpuShares(long v) { cpuShares = v; return this; }
        public Builder cpusetCpus(String v) { cpusetCpus = v; return this; }
        public Builder pidsLimit(Long v) { pidsLimit = v; return this; }
        public Builder ulimits(List<Ulimit> v) { ulimits = v; return this; }
        public Builder capAdd(List<String> v) { capAdd = v; return this; }
        public Builder capDrop(List<String> v) { capDrop = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder securityOpt(List<String> v) { securityOpt = v; return this; }
        public Builder devices(List<DeviceMapping> v) { devices = v; return this; }
        public Builder sysctls(Map<String, String> v) { sysctls = v; return this; }
        public Builder oomScoreAdj(int v) { oomScoreAdj = v; return this; }
        public Builder shmSize(long v) { shmSize = v; return this; }
        public Builder networkMode(String v) { networkMode = v; return this; }
        public Builder restartPolicy(RestartPolicy v) { restartPolicy = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder logConfig(LogConfig v) { logConfig = v; return this; }
        public Builder init(boolean v) { init = v; return this; }
        public Builder runtime(String v) { runtime = v; return this; }

        public HostConfig build() {
            return new HostConfig(binds, mounts, readonlyRootfs, tmpfs, memory, memorySwap, nanoCpus, cpuShares,
                    cpusetCpus, pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, devices, sysctls,
                    oomScoreAdj, shmSize, networkMode, restartPolicy, autoRemove, logConfig, init, runtime);
        }
    }
}
