package dev.gantry.cgroups.v1;

import dev.gantry.cgroups.CgroupFile;

import java.nio.file.Path;

/**
 * What the v1 cpuset controller needs beyond the files it shares with v2
 * ({@link dev.gantry.cgroups.CpusetController}). A new v1 cpuset starts with empty {@code cpuset.cpus} and
 * {@code cpuset.mems}, and the kernel refuses to attach a task to it (ENOSPC) until both are
 * set, so {@link #inheritFromParent()} copies the parent's values into every new directory.
 */
public final class CpusetV1 {
    private final Path dir;

    public CpusetV1(Path dir) {
        this.dir = dir;
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
