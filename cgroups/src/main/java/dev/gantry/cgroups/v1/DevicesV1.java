package dev.gantry.cgroups.v1;

import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * The v1 devices controller. A present rule list is applied as a whole: first "deny all"
 * ({@code a} to {@code devices.deny}), then each rule in order to {@code devices.allow} or
 * {@code devices.deny}, so the list means the same as the v2 device program (last match
 * wins, default deny). An absent or empty list leaves the cgroup as inherited.
 *
 * <p>On a live cgroup the deny-all write briefly refuses every device until the rules that
 * follow restore access; opens racing with an update may fail with EPERM.
 */
public final class DevicesV1 {
    private final Path dir;

    public DevicesV1(Path dir) {
        this.dir = dir;
    }

    public void apply(List<LinuxDeviceCgroup> rules) {
        if (rules == null || rules.isEmpty()) {
            return;
        }
        CgroupFile.write(dir, "devices.deny", "a", "linux.resources.devices");
        for (int i = 0; i < rules.size(); i++) {
            LinuxDeviceCgroup rule = rules.get(i);
            CgroupFile.write(dir, rule.allow() ? "devices.allow" : "devices.deny", line(rule, i),
                    "linux.resources.devices[" + i + "]");
        }
    }

    /** The kernel's rule syntax: {@code type major:minor access}, {@code *} for a wildcard. */
    static String line(LinuxDeviceCgroup rule, int index) {
        String type = rule.type() == null || rule.type().isEmpty() ? "a" : rule.type();
        if (!type.equals("a") && !type.equals("b") && !type.equals("c")) {
            throw GantryException.invalid("linux.resources.devices[" + index + "].type \"" + type
                    + "\" is not one of a, b, c");
        }
        String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
        if (!access.matches("[rwm]{1,3}")) {
            throw GantryException.invalid("linux.resources.devices[" + index + "].access \"" + access
                    + "\" has a letter other than r, w, m");
        }
        return type + " " + number(rule.major()) + ":" + number(rule.minor()) + " " + access;
    }

    private static String number(Long value) {
        return value == null || value == -1 ? "*" : value.toString();
    }
}
