package dev.gantry.cgroups.v2;

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
 * The v2 io controller, fed from OCI's v1-shaped {@code blockIO}. Under BFQ the weight goes
 * unchanged to {@code io.bfq.weight} (same 1..1000 scale); otherwise it is converted to
 * {@code io.weight}'s 1..10000. Throttles become {@code io.max} keys, one write each.
 */
public final class IoV2 {
    private final Path dir;

    public IoV2(Path dir) {
        this.dir = dir;
    }

    public void apply(LinuxBlockIo io) {
        if (io == null) {
            return;
        }
        boolean bfq = CgroupFile.exists(dir, "io.bfq.weight");
        if (io.weight() != null && io.weight() != 0) {
            String field = "linux.resources.blockIO.weight";
            if (bfq) {
                CgroupFile.write(dir, "io.bfq.weight", io.weight().toString(), field);
            } else {
                CgroupFile.write(dir, "io.weight", "default " + weightOfBlkio(io.weight()), field);
            }
        }
        if (io.leafWeight() != null && io.leafWeight() != 0) {
            throw new GantryException(ErrorKind.UNAVAILABLE,
                    "linux.resources.blockIO.leafWeight has no cgroup v2 equivalent");
        }
        List<LinuxWeightDevice> weights = io.weightDevice() == null ? List.of() : io.weightDevice();
        for (int i = 0; i < weights.size(); i++) {
            LinuxWeightDevice device = weights.get(i);
            if (device.weight() == null) {
                continue;
            }
            String field = "linux.resources.blockIO.weightDevice[" + i + "]";
            String id = device.major() + ":" + device.minor();
            if (bfq) {
                CgroupFile.write(dir, "io.bfq.weight", id + " " + device.weight(), field);
            } else {
                CgroupFile.write(dir, "io.weight", id + " " + weightOfBlkio(device.weight()), field);
            }
        }
        throttle(io.throttleReadBpsDevice(), "rbps", "throttleReadBpsDevice");
        throttle(io.throttleWriteBpsDevice(), "wbps", "throttleWriteBpsDevice");
        throttle(io.throttleReadIOPSDevice(), "riops", "throttleReadIOPSDevice");
        throttle(io.throttleWriteIOPSDevice(), "wiops", "throttleWriteIOPSDevice");
    }

    /** blkio weight [10, 1000] onto io.weight [1, 10000], linearly (runc's conversion). */
    public static long weightOfBlkio(long weight) {
        long clamped = Math.max(10, Math.min(1000, weight));
        return 1 + (clamped - 10) * 9999 / 990;
    }

    private void throttle(List<LinuxThrottleDevice> devices, String key, String name) {
        if (devices == null) {
            return;
        }
        for (int i = 0; i < devices.size(); i++) {
            LinuxThrottleDevice device = devices.get(i);
            long rate = device.rate() == null ? 0 : device.rate();
            // io.max has no "0 = unlimited" of v1's throttle files: 0 becomes "max".
            CgroupFile.write(dir, "io.max", device.major() + ":" + device.minor() + " " + key + "="
                    + (rate == 0 ? "max" : Long.toUnsignedString(rate)),
                    "linux.resources.blockIO." + name + "[" + i + "]");
        }
    }

    /** {@code io.stat}: "8:0 rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…" per device. */
    public CgroupStats.Blkio stats() {
        List<CgroupStats.BlkioEntry> bytes = new ArrayList<>();
        List<CgroupStats.BlkioEntry> operations = new ArrayList<>();
        for (String line : CgroupFile.readIfPresent(dir, "io.stat").orElse("").split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length < 2 || !parts[0].contains(":")) {
                continue;
            }
            String[] device = parts[0].split(":");
            long major = Long.parseLong(device[0]);
            long minor = Long.parseLong(device[1]);
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                long value = Long.parseLong(kv[1]);
                switch (kv[0]) {
                    case "rbytes" -> bytes.add(new CgroupStats.BlkioEntry(major, minor, "Read", value));
                    case "wbytes" -> bytes.add(new CgroupStats.BlkioEntry(major, minor, "Write", value));
                    case "rios" -> operations.add(new CgroupStats.BlkioEntry(major, minor, "Read", value));
                    case "wios" -> operations.add(new CgroupStats.BlkioEntry(major, minor, "Write", value));
                    default -> {
                        // discard counters (dbytes, dios) have no v1 counterpart in the stats
                    }
                }
            }
        }
        return new CgroupStats.Blkio(bytes, operations);
    }
}
