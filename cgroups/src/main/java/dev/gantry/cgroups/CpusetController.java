package dev.gantry.cgroups;

import java.nio.file.Path;

/** The cpuset controller's limits; its files are the same on v1 and v2 (v1's extra duty is in {@code CpusetV1}). */
public final class CpusetController {
    private final Path dir;

    public CpusetController(Path dir) {
        this.dir = dir;
    }

    /** {@code cpuset.cpus} and {@code cpuset.mems}; a null or empty value leaves the file as it is. */
    public void apply(String cpus, String mems) {
        if (cpus != null && !cpus.isEmpty()) {
            CgroupFile.write(dir, "cpuset.cpus", cpus, "linux.resources.cpu.cpus");
        }
        if (mems != null && !mems.isEmpty()) {
            CgroupFile.write(dir, "cpuset.mems", mems, "linux.resources.cpu.mems");
        }
    }
}
