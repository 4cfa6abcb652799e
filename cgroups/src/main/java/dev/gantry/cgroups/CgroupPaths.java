package dev.gantry.cgroups;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a container's cgroup lives on this host.
 *
 * @param controllers for v1 hierarchies: controller name (memory, cpu, cpuacct, …) to the
 *                    container's directory in that hierarchy; co-mounted controllers share a
 *                    directory; empty on a pure v2 host
 * @param unified     the container's directory in the cgroup2 hierarchy, on v2 and hybrid
 *                    hosts; this is the directory whose descriptor
 *                    {@code clone3(CLONE_INTO_CGROUP)} takes
 */
public record CgroupPaths(Map<String, Path> controllers, Optional<Path> unified) {
    public CgroupPaths {
        controllers = Map.copyOf(controllers);
    }

    /**
     * Every distinct directory the container's processes belong in: writing a pid to
     * {@code cgroup.procs} in each of them makes it a member of the container's cgroup.
     */
    public Set<Path> directories() {
        Set<Path> all = new LinkedHashSet<>(controllers.values().stream().sorted().toList());
        unified.ifPresent(all::add);
        return all;
    }
}
