package dev.gantry.cgroups.v1;

import dev.gantry.cgroups.CgroupFile;

import java.nio.file.Path;

/**
 * The v1 cpuset controller. A new v1 cpuset starts with empty {@code cpuset.cpus} and
 * {@code cpuset.mems}, and the kernel refuses to attach a task to it (ENOSPC) until both are
 * set, so {@link #inheritFromParent()} copies the parent's values into every new directory.
 */
public final class CpusetV1 {
    private final Path dir;

    public CpusetV1(Path dir) {
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

    /** Fills empty {@code cpuset.cpus}/{@code cpuset.mems} from the parent directory. */
    public void inheritFromParent() {
        for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            if (CgroupFile.read(dir, file).isEmpty()) {
                CgroupFile.write(dir, file, CgroupFile.read(dir.getParent(), file), "linux.cgroupsPath");
            }
        }
    }
}
