package dev.gantry.cgroups;

import dev.gantry.base.GantryException;

import java.util.List;

/**
 * Where a container's cgroup lives, relative to the root of every cgroup hierarchy
 * (the mount point of each v1 controller and of the cgroup2 file system).
 *
 * <p>The OCI {@code linux.cgroupsPath} is read as the spec says: an absolute value is taken
 * as given below each mount point; a relative value is placed below Gantry's default parent
 * ({@value #DEFAULT_PARENT} unless the caller chooses another); an absent value becomes
 * {@code <parent>/<container id>}. A systemd-style value ({@code slice:prefix:name}) is
 * refused: Gantry drives cgroupfs directly and has no systemd driver.
 *
 * @param relative the path below each hierarchy root, without a leading slash, e.g.
 *                 {@code gantry/abc}; never empty, never containing {@code .} or {@code ..}
 */
public record CgroupsPath(String relative) {
    /** The default parent of relative and absent cgroups paths. */
    public static final String DEFAULT_PARENT = "gantry";

    public CgroupsPath {
        validate(relative, relative);
    }

    /** Reads {@code linux.cgroupsPath} (may be null) for the container {@code containerId}. */
    public static CgroupsPath of(String cgroupsPath, String containerId) {
        return of(cgroupsPath, containerId, DEFAULT_PARENT);
    }

    /** As {@link #of(String, String)}, with relative paths placed below {@code parent}. */
    public static CgroupsPath of(String cgroupsPath, String containerId, String parent) {
        if (cgroupsPath == null || cgroupsPath.isBlank()) {
            return new CgroupsPath(parent + "/" + containerId);
        }
        if (cgroupsPath.contains(":")) {
            throw GantryException.invalid("linux.cgroupsPath \"" + cgroupsPath
                    + "\" is a systemd-style path (slice:prefix:name); Gantry manages cgroupfs"
                    + " directly and needs an absolute or relative path");
        }
        if (cgroupsPath.startsWith("/")) {
            String stripped = cgroupsPath.replaceAll("^/+", "").replaceAll("/+$", "");
            validate(stripped, cgroupsPath);
            return new CgroupsPath(stripped);
        }
        String stripped = cgroupsPath.replaceAll("/+$", "");
        validate(stripped, cgroupsPath);
        return new CgroupsPath(parent + "/" + stripped);
    }

    /** The path's segments, from the hierarchy root down to the container's cgroup. */
    public List<String> segments() {
        return List.of(relative.split("/"));
    }

    private static void validate(String relative, String original) {
        if (relative == null || relative.isEmpty()) {
            throw GantryException.invalid("linux.cgroupsPath \"" + original
                    + "\" names the root cgroup, which cannot hold a container");
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw GantryException.invalid("linux.cgroupsPath \"" + original
                        + "\" has an empty, \".\" or \"..\" segment");
            }
        }
    }

    @Override
    public String toString() {
        return "/" + relative;
    }
}
