package dev.gantry.oci.runtime;

/** rdma cgroup limits for one device (uint32 each). */
public record LinuxRdma(Long hcaHandles, Long hcaObjects) {
}
