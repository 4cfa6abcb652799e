package dev.gantry.engine;

/**
 * What {@code docker update} changes; a null field stays as it is.
 *
 * @param memory        memory limit in bytes
 * @param memorySwap    memory plus swap in bytes (-1: unlimited swap)
 * @param nanoCpus      CPU quota in 10⁻⁹ CPUs
 * @param cpuShares     relative CPU weight
 * @param cpusetCpus    CPUs it may run on
 * @param pidsLimit     maximum number of processes (≤ 0: unlimited, which a running container keeps
 *                      as its current limit: a cgroup's limit cannot be lifted through the runtime's update)
 * @param restartPolicy the restart policy
 */
public record ResourceChange(Long memory, Long memorySwap, Long nanoCpus, Long cpuShares, String cpusetCpus,
        Long pidsLimit, RestartPolicy restartPolicy) {

    /** The host configuration with this change applied. */
    public HostConfig applyTo(HostConfig h) {
        HostConfig.Builder b = h.toBuilder();
        if (memory != null) {
            b.memory(memory);
        }
        if (memorySwap != null) {
            b.memorySwap(memorySwap);
        }
        if (nanoCpus != null) {
            b.nanoCpus(nanoCpus);
        }
        if (cpuShares != null) {
            b.cpuShares(cpuShares);
        }
        if (cpusetCpus != null) {
            b.cpusetCpus(cpusetCpus);
        }
        if (pidsLimit != null) {
            b.pidsLimit(pidsLimit > 0 ? pidsLimit : null);
        }
        if (restartPolicy != null) {
            b.restartPolicy(restartPolicy);
        }
        return b.build();
    }
}
