package dev.gantry.cgroups.v1;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.oci.runtime.LinuxInterfacePriority;
import dev.gantry.oci.runtime.LinuxNetwork;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The v1 net_cls and net_prio controllers (v2 has neither). They are often co-mounted, so
 * each takes its own directory, absent when the host does not mount it.
 */
public final class NetworkV1 {
    private final Optional<Path> netCls;
    private final Optional<Path> netPrio;

    public NetworkV1(Optional<Path> netCls, Optional<Path> netPrio) {
        this.netCls = netCls;
        this.netPrio = netPrio;
    }

    public void apply(LinuxNetwork network) {
        if (network == null) {
            return;
        }
        if (network.classID() != null) {
            String field = "linux.resources.network.classID";
            CgroupFile.write(require(netCls, "net_cls", field), "net_cls.classid", network.classID().toString(), field);
        }
        if (network.priorities() != null) {
            for (int i = 0; i < network.priorities().size(); i++) {
                LinuxInterfacePriority priority = network.priorities().get(i);
                String field = "linux.resources.network.priorities[" + i + "]";
                CgroupFile.write(require(netPrio, "net_prio", field), "net_prio.ifpriomap",
                        priority.name() + " " + priority.priority(), field);
            }
        }
    }

    private static Path require(Optional<Path> dir, String controller, String field) {
        return dir.orElseThrow(() -> new GantryException(ErrorKind.UNAVAILABLE,
                field + ": the host does not mount the " + controller + " cgroup controller"));
    }
}
