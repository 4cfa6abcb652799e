package dev.gantry.cgroups.v2;

import dev.gantry.cgroups.CgroupFile;

import java.nio.file.Path;

/** The v2 cpuset controller; unlike v1, an empty cpuset means "the parent's". */
public final class CpusetV2 {
    private final Path dir;

    public CpusetV2(Path dir) {
        this.dir = dir;
    }

    public void apply(String cpus, String mems) {
        if (cpus != null && !cpus.isEmpty()) {
            CgroupFile.write(dir, "cpuset.cpus", cpus, "linux.resources.cpu.cpus");
        }
        if (mems != null && !mems.isEmpty()) {
            CgroupFile.write(dir, "cpuset.mems", mems, "linux.resources.cpu.mems");
        }
    }
}
