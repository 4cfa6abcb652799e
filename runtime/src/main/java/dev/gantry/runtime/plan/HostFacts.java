package dev.gantry.runtime.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the planner needs to know about the host, read once from /proc so that the planner
 * itself stays a pure function (and unit tests pass in any host they like).
 *
 * @param cgroupHierarchies the cgroup filesystems mounted on the host, in mountinfo order
 * @param ownCgroups        this process's cgroup per hierarchy key (v1 controller list or "" for v2)
 * @param hardLimits        the current hard rlimit per resource number (unsigned; -1 is infinity)
 * @param canRaiseLimits    whether CAP_SYS_RESOURCE is effective, i.e. hard limits may be raised
 */
public record HostFacts(List<CgroupHierarchy> cgroupHierarchies, Map<String, String> ownCgroups,
        Map<Integer, Long> hardLimits, boolean canRaiseLimits) {

    /** One mounted cgroup hierarchy: v1 with its options (e.g. "cpu", "name=systemd"), or v2. */
    public record CgroupHierarchy(Path mountPoint, boolean v2, String subsystems) {
        /** The key under which /proc/self/cgroup lists this hierarchy. */
        public String key() {
            return v2 ? "" : subsystems;
        }
    }

    public static HostFacts probe() {
        try {
            return new HostFacts(hierarchies(Files.readAllLines(Path.of("/proc/self/mountinfo"))),
                    ownCgroups(Files.readAllLines(Path.of("/proc/self/cgroup"))),
                    hardLimits(Files.readAllLines(Path.of("/proc/self/limits"))),
                    hasEffectiveCap(Files.readAllLines(Path.of("/proc/self/status")), Capabilities.CAP_SYS_RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self", e);
        }
    }

    static List<CgroupHierarchy> hierarchies(List<String> mountinfo) {
        List<CgroupHierarchy> out = new ArrayList<>();
        for (String line : mountinfo) {
            // mountinfo(5): fields ... " - " fstype source superoptions
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            Path mountPoint = Path.of(unescape(left[4]));
            if (right[0].equals("cgroup2")) {
                out.add(new CgroupHierarchy(mountPoint, true, ""));
            } else if (right[0].equals("cgroup") && right.length > 2) {
                List<String> subsystems = new ArrayList<>();
                for (String o : right[2].split(",")) {
                    if (!o.equals("rw") && !o.equals("ro") && !o.startsWith("release_agent") && !o.equals("clone_children")
                            && !o.equals("noprefix") && !o.equals("xattr") && !o.equals("cpuset_v2_mode")) {
                        subsystems.add(o);
                    }
                }
                out.add(new CgroupHierarchy(mountPoint, false, String.join(",", subsystems)));
            }
        }
        return out;
    }

    static Map<String, String> ownCgroups(List<String> procCgroup) {
        Map<String, String> out = new HashMap<>();
        for (String line : procCgroup) {
            String[] f = line.split(":", 3);
            if (f.length == 3) {
                out.put(f[1], f[2]);
            }
        }
        return out;
    }

    static Map<Integer, Long> hardLimits(List<String> limits) {
        Map<Integer, Long> out = new HashMap<>();
        String[] names = {"Max cpu time", "Max file size", "Max data size", "Max stack size", "Max core file size",
            "Max resident set", "Max processes", "Max open files", "Max locked memory", "Max address space",
            "Max file locks", "Max pending signals", "Max msgqueue size", "Max nice priority",
            "Max realtime priority", "Max realtime timeout"};
        for (String line : limits) {
            for (int r = 0; r < names.length; r++) {
                if (line.startsWith(names[r] + " ")) {
                    String[] cols = line.substring(names[r].length()).trim().split("\\s+");
                    out.put(r, cols[1].equals("unlimited") ? -1L : Long.parseUnsignedLong(cols[1]));
                }
            }
        }
        return out;
    }

    static boolean hasEffectiveCap(List<String> status, int cap) {
        for (String line : status) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << cap)) != 0;
            }
        }
        return false;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
