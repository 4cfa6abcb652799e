package dev.gantry.cgroups.v1;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.oci.runtime.LinuxBlockIo;
import dev.gantry.oci.runtime.LinuxThrottleDevice;
import dev.gantry.oci.runtime.LinuxWeightDevice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The v1 blkio controller. Weights live in {@code blkio.weight*} under CFQ and in
 * {@code blkio.bfq.weight*} under BFQ; kernels without either scheduler (this host) have no
 * weight files at all, which makes a weight UNAVAILABLE. Throttling is scheduler-independent.
 * Each device rule is its own write, as the kernel parses one rule per write.
 */
public final class BlkioV1 {
    private final Path dir;

    public BlkioV1(Path dir) {
        this.dir = dir;
    }

    public void apply(LinuxBlockIo io) {
        if (io == null) {
            return;
        }
        if (io.weight() != null && io.weight() != 0) {
            CgroupFile.write(dir, weightFile("blkio.weight", "linux.resources.blockIO.weight"),
                    io.weight().toString(), "linux.resources.blockIO.weight");
        }
        if (io.leafWeight() != null && io.leafWeight() != 0) {
            CgroupFile.write(dir, "blkio.leaf_weight", io.leafWeight().toString(), "linux.resources.blockIO.leafWeight");
        }
        List<LinuxWeightDevice> weights = io.weightDevice() == null ? List.of() : io.weightDevice();
        for (int i = 0; i < weights.size(); i++) {
            LinuxWeightDevice device = weights.get(i);
            String field = "linux.resources.blockIO.weightDevice[" + i + "]";
            if (device.weight() != null) {
                CgroupFile.write(dir, weightFile("blkio.weight_device", field),
                        device.major() + ":" + device.minor() + " " + device.weight(), field);
            }
            if (device.leafWeight() != null) {
                CgroupFile.write(dir, "blkio.leaf_weight_device",
                        device.major() + ":" + device.minor() + " " + device.leafWeight(), field);
            }
        }
        throttle(io.throttleReadBpsDevice(), "blkio.throttle.read_bps_device", "throttleReadBpsDevice");
        throttle(io.throttleWriteBpsDevice(), "blkio.throttle.write_bps_device", "throttleWriteBpsDevice");
        throttle(io.throttleReadIOPSDevice(), "blkio.throttle.read_iops_device", "throttleReadIOPSDevice");
        throttle(io.throttleWriteIOPSDevice(), "blkio.throttle.write_iops_device", "throttleWriteIOPSDevice");
    }

    /** {@code blkio.weight…} under CFQ, {@code blkio.bfq.weight…} under BFQ. */
    private String weightFile(String cfqFile, String field) {
        if (CgroupFile.exists(dir, cfqFile)) {
            return cfqFile;
        }
        String bfqFile = cfqFile.replace("blkio.", "blkio.bfq.");
        if (CgroupFile.exists(dir, bfqFile)) {
            return bfqFile;
        }
        throw new GantryException(ErrorKind.UNAVAILABLE, field + ": the host has neither "
                + dir.resolve(cfqFile) + " nor " + bfqFile + " (no CFQ/BFQ I/O scheduler)");
    }

    private void throttle(List<LinuxThrottleDevice> devices, String file, String name) {
        if (devices == null) {
            return;
        }
        for (int i = 0; i < devices.size(); i++) {
            LinuxThrottleDevice device = devices.get(i);
            CgroupFile.write(dir, file, device.major() + ":" + device.minor() + " "
                    + Long.toUnsignedString(device.rate() == null ? 0 : device.rate()),
                    "linux.resources.blockIO." + name + "[" + i + "]");
        }
    }

    public CgroupStats.Blkio stats() {
        return new CgroupStats.Blkio(
                entries("blkio.throttle.io_service_bytes_recursive"),
                entries("blkio.throttle.io_serviced_recursive"));
    }

    /** Lines "8:0 Read 4096"; the trailing "Total N" line is not per device and is skipped. */
    private List<CgroupStats.BlkioEntry> entries(String file) {
        List<CgroupStats.BlkioEntry> entries = new ArrayList<>();
        for (String line : CgroupFile.readIfPresent(dir, file).orElse("").split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 3 && parts[0].contains(":")) {
                String[] device = parts[0].split(":");
                entries.add(new CgroupStats.BlkioEntry(Long.parseLong(device[0]), Long.parseLong(device[1]),
                        parts[1], Long.parseLong(parts[2])));
            }
        }
        return entries;
    }
}
