package dev.gantry.cgroups;

import dev.gantry.oci.runtime.LinuxPids;

import java.nio.file.Path;

/** The pids controller; its files are the same on v1 and v2. */
public final class PidsController {
    private final Path dir;

    public PidsController(Path dir) {
        this.dir = dir;
    }

    /** {@code pids.max}; a limit of 0 or below means no limit ("max"), as runc reads it. */
    public void apply(LinuxPids pids) {
        if (pids == null || pids.limit() == null) {
            return;
        }
        long limit = pids.limit();
        CgroupFile.write(dir, "pids.max", limit > 0 ? Long.toString(limit) : "max", "linux.resources.pids.limit");
    }

    public CgroupStats.Pids stats() {
        return new CgroupStats.Pids(CgroupFile.readLong(dir, "pids.current"), CgroupFile.readLong(dir, "pids.max"));
    }
}
