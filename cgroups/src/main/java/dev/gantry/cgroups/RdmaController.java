package dev.gantry.cgroups;

import dev.gantry.oci.runtime.LinuxRdma;

import java.nio.file.Path;
import java.util.Map;

/** The rdma controller; {@code rdma.max} has the same syntax on v1 and v2. */
public final class RdmaController {
    private final Path dir;

    public RdmaController(Path dir) {
        this.dir = dir;
    }

    /** One write per device: {@code <device> hca_handle=N hca_object=M}, omitted keys unchanged. */
    public void apply(Map<String, LinuxRdma> rdma) {
        if (rdma == null) {
            return;
        }
        for (Map.Entry<String, LinuxRdma> entry : rdma.entrySet()) {
            StringBuilder line = new StringBuilder(entry.getKey());
            LinuxRdma limits = entry.getValue();
            if (limits.hcaHandles() != null) {
                line.append(" hca_handle=").append(limits.hcaHandles());
            }
            if (limits.hcaObjects() != null) {
                line.append(" hca_object=").append(limits.hcaObjects());
            }
            CgroupFile.write(dir, "rdma.max", line.toString(), "linux.resources.rdma[\"" + entry.getKey() + "\"]");
        }
    }
}
