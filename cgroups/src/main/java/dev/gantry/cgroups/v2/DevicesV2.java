package dev.gantry.cgroups.v2;

import dev.gantry.cgroups.bpf.BpfInstruction;
import dev.gantry.cgroups.bpf.DeviceProgram;
import dev.gantry.cgroups.sys.CgroupSyscalls;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * The v2 device controller: cgroup v2 has no devices files; access is decided by a
 * {@code BPF_PROG_TYPE_CGROUP_DEVICE} program attached to the directory. A present rule
 * list is compiled ({@link DeviceProgram}), loaded and attached with
 * {@code BPF_F_ALLOW_MULTI} (so that nested runtimes can attach their own below), and only
 * then are the programs attached before it detached: there is no moment without a program.
 * An absent or empty list attaches nothing.
 */
public final class DevicesV2 {
    static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    static final int BPF_CGROUP_DEVICE = 6;
    static final int BPF_F_ALLOW_MULTI = 2;
    private static final String LICENSE = "Apache-2.0";

    private final Path dir;
    private final CgroupSyscalls sys;

    public DevicesV2(Path dir, CgroupSyscalls sys) {
        this.dir = dir;
        this.sys = sys;
    }

    public void apply(List<LinuxDeviceCgroup> rules) {
        if (rules == null || rules.isEmpty()) {
            return;
        }
        byte[] program = BpfInstruction.encode(DeviceProgram.compile(rules));
        int cgroup = sys.openDirectory(dir);
        try {
            List<Integer> previous = sys.bpfProgramQuery(cgroup, BPF_CGROUP_DEVICE);
            int loaded = sys.bpfProgramLoad(BPF_PROG_TYPE_CGROUP_DEVICE, program, LICENSE);
            try {
                sys.bpfProgramAttach(cgroup, loaded, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI);
            } finally {
                // The attachment holds the program; our descriptor is no longer needed.
                sys.close(loaded);
            }
            for (int id : previous) {
                int old = sys.bpfProgramFdById(id);
                try {
                    sys.bpfProgramDetach(cgroup, old, BPF_CGROUP_DEVICE);
                } finally {
                    sys.close(old);
                }
            }
        } finally {
            sys.close(cgroup);
        }
    }
}
