package dev.gantry.cgroups;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.sys.CgroupSyscalls;
import dev.gantry.cgroups.sys.LinuxCgroupSyscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroup hierarchies of a host, as found in a mountinfo file, and the factory of
 * {@link CgroupManager}s on them. v1 controllers are read from the super options of each
 * {@code cgroup} mount (named hierarchies such as {@code name=systemd} carry no controller
 * and are left alone); the {@code cgroup2} mount is the unified hierarchy.
 */
public final class Cgroups {
    /** The v1 controllers a container joins. */
    static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
            "freezer", "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");
    private static final Duration OOM_POLL_INTERVAL = Duration.ofMillis(100);
    /** The cgroup2 mount option that keeps moving processes between cgroups cheap (Linux 6.1). */
    static final String FAVOR_DYNMODS = "favordynmods";
    private static final long MS_RDONLY = 1;
    private static final long MS_NOSUID = 2;
    private static final long MS_NODEV = 4;
    private static final long MS_NOEXEC = 8;

    private final Map<String, Path> v1;
    private final Optional<Path> unified;
    private final List<String> unifiedOptions;
    private final List<String> unifiedMountOptions;
    private final CgroupSyscalls sys;

    /**
     * @param v1      controller name to the mount point of its v1 hierarchy
     * @param unified the cgroup2 mount point, if any
     */
    public Cgroups(Map<String, Path> v1, Optional<Path> unified, CgroupSyscalls sys) {
        this(v1, unified, List.of(), List.of(), sys);
    }

    /**
     * @param unifiedOptions      the super options of the cgroup2 mount, as mountinfo lists them
     *                            ({@code rw,nsdelegate,...})
     * @param unifiedMountOptions the cgroup2 mount's own options ({@code rw,nosuid,nodev,noexec,relatime})
     */
    public Cgroups(Map<String, Path> v1, Optional<Path> unified, List<String> unifiedOptions, List<String> unifiedMountOptions,
            CgroupSyscalls sys) {
        this.v1 = Map.copyOf(v1);
        this.unified = unified;
        this.unifiedOptions = List.copyOf(unifiedOptions);
        this.unifiedMountOptions = List.copyOf(unifiedMountOptions);
        this.sys = sys;
        if (v1.isEmpty() && unified.isEmpty()) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "no cgroup hierarchy is mounted");
        }
    }

    /** The hierarchies of this host, from {@code /proc/self/mountinfo}. */
    public static Cgroups host() {
        return detect(Path.of("/proc/self/mountinfo"), new LinuxCgroupSyscalls());
    }

    /** The hierarchies listed in {@code mountinfo} (a {@code /proc/<pid>/mountinfo} file). */
    public static Cgroups detect(Path mountinfo, CgroupSyscalls sys) {
        try {
            return parse(Files.readString(mountinfo), sys);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "cannot read " + mountinfo + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #detect}, from the text of a mountinfo file. */
    public static Cgroups parse(String mountinfo, CgroupSyscalls sys) {
        Map<String, Path> v1 = new LinkedHashMap<>();
        Path unified = null;
        List<String> unifiedOptions = List.of();
        List<String> unifiedMountOptions = List.of();
        for (String line : mountinfo.split("\n")) {
            // id parent major:minor root mountpoint options [optional…] - fstype source superoptions
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] before = line.substring(0, separator).split(" ");
            String[] after = line.substring(separator + 3).split(" ");
            if (before.length < 5 || after.length < 3) {
                continue;
            }
            Path mountPoint = Path.of(unescape(before[4]));
            if (after[0].equals("cgroup2") && unified == null) {
                unified = mountPoint;
                unifiedOptions = List.of(after[2].split(","));
                unifiedMountOptions = List.of(before[5].split(","));
            } else if (after[0].equals("cgroup")) {
                for (String option : after[2].split(",")) {
                    if (V1_CONTROLLERS.contains(option)) {
                        v1.putIfAbsent(option, mountPoint);
                    }
                }
            }
        }
        return new Cgroups(v1, Optional.ofNullable(unified), unifiedOptions, unifiedMountOptions, sys);
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public CgroupMode mode() {
        if (v1.isEmpty()) {
            return CgroupMode.V2;
        }
        return unified.isPresent() ? CgroupMode.HYBRID : CgroupMode.V1;
    }

    /** Controller name to v1 mount point; empty on a v2 host. */
    public Map<String, Path> v1Mounts() {
        return v1;
    }

    /** The cgroup2 mount point, on v2 and hybrid hosts. */
    public Optional<Path> unifiedMount() {
        return unified;
    }

    /**
     * Sets {@code favordynmods} on the cgroup2 mount unless it is set already; says whether this
     * call set it. Moving a process between cgroups — the write to {@code cgroup.procs} by which a
     * container's init joins each v1 hierarchy — takes the kernel's global threadgroup rwsem for
     * writing, and a writer that follows a quiet spell waits for an RCU grace period
     * ({@code percpu_down_write} → {@code rcu_sync_enter}): 5–20 ms on these machines, the largest
     * single cost of starting a container on a v1 or hybrid host. With the option set the kernel
     * keeps that semaphore in its slow mode for good (Linux 6.1, commit 6a010a49b63a; see
     * Documentation/admin-guide/cgroup-v2.rst): migrations stop waiting, and every fork and exit on
     * the host pays a shared atomic instead of a per-CPU one. The semaphore is global, so setting it
     * on the cgroup2 mount serves the v1 hierarchies as well. The mount's other super options, and
     * its own read-only, nosuid, nodev and noexec flags, are passed again: a remount resets
     * whatever it is not given (mount(2), MS_REMOUNT), and a host's cgroup mount is usually
     * nosuid,nodev,noexec.
     *
     * @throws GantryException UNAVAILABLE when no cgroup2 hierarchy is mounted; the remount's
     *     error when the kernel refuses (EINVAL before Linux 6.1, EPERM without CAP_SYS_ADMIN)
     */
    public boolean favorDynamicModifications() {
        Path mount = unified.orElseThrow(() -> new GantryException(ErrorKind.UNAVAILABLE,
                "favordynmods: no cgroup2 hierarchy is mounted"));
        if (unifiedOptions.contains(FAVOR_DYNMODS)) {
            return false;
        }
        List<String> options = new ArrayList<>(unifiedOptions);
        options.add(FAVOR_DYNMODS);
        sys.remount(mount, mountFlags(unifiedMountOptions), String.join(",", options));
        return true;
    }

    /** The MS_* flags of a mount's own options as mountinfo lists them (the access-time ones a remount keeps by itself). */
    static long mountFlags(List<String> mountOptions) {
        long flags = 0;
        for (String o : mountOptions) {
            flags |= switch (o) {
                case "ro" -> MS_RDONLY;
                case "nosuid" -> MS_NOSUID;
                case "nodev" -> MS_NODEV;
                case "noexec" -> MS_NOEXEC;
                default -> 0;
            };
        }
        return flags;
    }

    /**
     * The manager of the container cgroup at {@code path}; nothing is created until
     * {@link CgroupManager#create()}.
     */
    public CgroupManager manager(CgroupsPath path) {
        return switch (mode()) {
            case V2 -> new V2CgroupManager(path, unified.orElseThrow(), sys, OOM_POLL_INTERVAL);
            case V1, HYBRID -> new V1CgroupManager(path, v1, unified, sys);
        };
    }

    /**
     * A manager that uses only the cgroup2 hierarchy even on a hybrid host: what the
     * runtime needs where a v2-only feature must hold every process, and how the v2 code
     * is exercised on a hybrid machine.
     *
     * @throws GantryException UNAVAILABLE when no cgroup2 hierarchy is mounted
     */
    public CgroupManager unifiedManager(CgroupsPath path) {
        Path mount = unified.orElseThrow(() -> new GantryException(ErrorKind.UNAVAILABLE,
                "this host mounts no cgroup2 hierarchy"));
        return new V2CgroupManager(path, mount, sys, OOM_POLL_INTERVAL);
    }
}
