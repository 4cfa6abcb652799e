package dev.gantry.oci.runtime;

import java.util.List;
import java.util.Map;

/** cgroup settings (config-linux.md "Control groups"); every part is optional. */
public record LinuxResources(
        List<LinuxDeviceCgroup> devices,
        LinuxMemory memory,
        LinuxCpu cpu,
        LinuxPids pids,
        LinuxBlockIo blockIO,
        List<LinuxHugepageLimit> hugepageLimits,
        LinuxNetwork network,
        Map<String, LinuxRdma> rdma,
        Map<String, String> unified) {

    public List<LinuxDeviceCgroup> devicesOrEmpty() {
        return devices == null ? List.of() : devices;
    }

    public List<LinuxHugepageLimit> hugepageLimitsOrEmpty() {
        return hugepageLimits == null ? List.of() : hugepageLimits;
    }

    public Map<String, String> unifiedOrEmpty() {
        return unified == null ? Map.of() : unified;
    }
}
