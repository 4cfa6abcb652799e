package dev.gantry.cgroups.v2;

import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * OCI's {@code linux.resources.unified}: cgroup v2 files written verbatim, after the key is
 * checked to name a file of this directory (no path separator, no dot-dot) so that a config
 * cannot write outside the container's cgroup.
 */
public final class UnifiedV2 {
    private final Path dir;

    public UnifiedV2(Path dir) {
        this.dir = dir;
    }

    public void apply(Map<String, String> unified) {
        if (unified == null) {
            return;
        }
        for (Map.Entry<String, String> entry : unified.entrySet()) {
            String key = entry.getKey();
            CgroupFile.write(dir, checkedKey(key), entry.getValue(), field(key));
        }
    }

    /** The controllers the keys belong to ("memory" for "memory.high"); "cgroup" is core. */
    public static Set<String> controllers(Map<String, String> unified) {
        Set<String> controllers = new TreeSet<>();
        if (unified != null) {
            for (String key : unified.keySet()) {
                String controller = checkedKey(key).substring(0, key.indexOf('.'));
                if (!controller.equals("cgroup")) {
                    controllers.add(controller);
                }
            }
        }
        return controllers;
    }

    static String checkedKey(String key) {
        if (key == null || key.isEmpty() || key.contains("/") || key.contains("..")
                || key.indexOf('.') <= 0 || key.equals("cgroup.procs") || key.equals("cgroup.threads")) {
            throw GantryException.invalid(field(key) + " is not a cgroup interface file name"
                    + " (controller.knob, no '/', no '..', not a membership file)");
        }
        return key;
    }

    private static String field(String key) {
        return "linux.resources.unified[\"" + key + "\"]";
    }
}
