package dev.gantry.oci.runtime;

import java.util.List;

/** blkio cgroup settings; weights are 10..1000 (uint16 in the spec). */
public record LinuxBlockIo(
        Integer weight,
        Integer leafWeight,
        List<LinuxWeightDevice> weightDevice,
        List<LinuxThrottleDevice> throttleReadBpsDevice,
        List<LinuxThrottleDevice> throttleWriteBpsDevice,
        List<LinuxThrottleDevice> throttleReadIOPSDevice,
        List<LinuxThrottleDevice> throttleWriteIOPSDevice) {
}
