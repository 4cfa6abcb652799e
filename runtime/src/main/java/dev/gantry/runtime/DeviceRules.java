package dev.gantry.runtime;

import dev.gantry.oci.runtime.LinuxDeviceCgroup;
import dev.gantry.oci.runtime.LinuxResources;

import java.util.ArrayList;
import java.util.List;

/**
 * The device-cgroup rules every container gets on top of its config's, as runc does: the
 * devices the runtime itself creates (null, zero, full, random, urandom, tty, the pty
 * master and slaves) must stay usable, and mknod of any node is allowed (whether it can be
 * opened is what the rules decide). Appended last, so they win over a leading "deny all".
 */
final class DeviceRules {
    private static final List<LinuxDeviceCgroup> DEFAULTS = List.of(
            rule("c", null, null, "m"), rule("b", null, null, "m"),
            rule("c", 1L, 3L, "rwm"), rule("c", 1L, 5L, "rwm"), rule("c", 1L, 7L, "rwm"),
            rule("c", 1L, 8L, "rwm"), rule("c", 1L, 9L, "rwm"), rule("c", 5L, 0L, "rwm"),
            rule("c", 5L, 1L, "rwm"), rule("c", 5L, 2L, "rwm"), rule("c", 136L, null, "rwm"),
            rule("c", 10L, 200L, "rwm"));

    private DeviceRules() {}

    private static LinuxDeviceCgroup rule(String type, Long major, Long minor, String access) {
        return new LinuxDeviceCgroup(true, type, major, minor, access);
    }

    /** The resources with the default rules appended when the config restricts devices at all. */
    static LinuxResources withDefaults(LinuxResources r) {
        if (r == null || r.devicesOrEmpty().isEmpty()) {
            return r;
        }
        List<LinuxDeviceCgroup> rules = new ArrayList<>(r.devicesOrEmpty());
        rules.addAll(DEFAULTS);
        return new LinuxResources(rules, r.memory(), r.cpu(), r.pids(), r.blockIO(), r.hugepageLimits(), r.network(),
                r.rdma(), r.unified());
    }
}
