package dev.gantry.runtime.plan;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.Hook;
import dev.gantry.oci.runtime.Linux;
import dev.gantry.oci.runtime.LinuxDevice;
import dev.gantry.oci.runtime.LinuxNamespace;
import dev.gantry.oci.runtime.LinuxTimeOffset;
import dev.gantry.oci.runtime.Mount;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static dev.gantry.runtime.plan.MountFlags.MS_BIND;
import static dev.gantry.runtime.plan.MountFlags.MS_NODEV;
import static dev.gantry.runtime.plan.MountFlags.MS_NOEXEC;
import static dev.gantry.runtime.plan.MountFlags.MS_NOSUID;
import static dev.gantry.runtime.plan.MountFlags.MS_RDONLY;
import static dev.gantry.runtime.plan.MountFlags.MS_REC;
import static dev.gantry.runtime.plan.MountFlags.MS_REMOUNT;

/**
 * Compiles a container's config into the plan its init follows. The plan reads top to
 * bottom in the order a container comes to life (crun's checklist): namespaces, ids and
 * cgroup, mounts, devices, hooks, pivot_root, terminal, sysctls, read-only and masked
 * paths, hostname, rlimits, credentials, wait for start, exec.
 */
public final class InitPlanner {
    /** Where a mount's destination is looked up; the helper's T_* constants. */
    static final long ABSOLUTE = 0, DIR_IN_ROOT = 1, FILE_IN_ROOT = 2, EXISTING_IN_ROOT = 3;

    /** The helper's descriptor number of the exec fifo (`start` opens its other end). */
    public static final int EXEC_FIFO_FD = 4;

    private static final int S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;

    private static final List<LinuxDevice> DEFAULT_DEVICES = List.of(
            device("/dev/null", 1, 3), device("/dev/zero", 1, 5), device("/dev/full", 1, 7),
            device("/dev/random", 1, 8), device("/dev/urandom", 1, 9), device("/dev/tty", 5, 0));

    /**
     * What to plan.
     *
     * @param spec      the validated config
     * @param bundle    the bundle directory (relative mount sources resolve against it)
     * @param rootfs    the absolute rootfs path
     * @param noPivot   MS_MOVE + chroot instead of pivot_root
     * @param seccomp   the compiled filter, if the config has one
     * @param cgroupDir  a cgroup v2 directory to clone into, or null
     * @param cgroupDirs the container's cgroup directory per hierarchy mount point, bound
     *                   into a "cgroup" mount when there is no cgroup namespace
     */
    public record Request(Spec spec, Path bundle, Path rootfs, boolean noPivot,
            Optional<SeccompFilter> seccomp, Path cgroupDir, Map<Path, Path> cgroupDirs) {
        public Request {
            cgroupDirs = Map.copyOf(cgroupDirs);
        }
    }

    private final HostFacts host;
    private final Consumer<String> warn;

    public InitPlanner(HostFacts host, Consumer<String> warn) {
        this.host = host;
        this.warn = warn;
    }

    private static LinuxDevice device(String path, long major, long minor) {
        return new LinuxDevice(path, "c", major, minor, 0666, 0L, 0L);
    }

    public Plan plan(Request r) {
        Spec spec = r.spec();
        Linux linux = spec.linuxOrEmpty();
        Process p = spec.process();
        if (p == null) {
            throw GantryException.invalid("config.json: process: required to create a container");
        }
        if (!linux.hasNamespace("mount") || linux.namespace("mount").get().path() != null) {
            throw GantryException.invalid("config.json: linux.namespaces: a new mount namespace is required");
        }
        if (spec.hostname() != null && !spec.hostname().isEmpty() && !isNew(linux, "uts")) {
            throw GantryException.invalid("config.json: hostname: setting it needs a new uts namespace");
        }
        ProcessSteps.checkRlimits(p, host);
        List<Step> s = new ArrayList<>();
        boolean newUser = isNew(linux, "user");

        // Namespaces: join existing ones (user first), create the rest with clone3. A new
        // time namespace only applies to children, and its offsets must be written before
        // any process is in it (time_namespaces(7)).
        for (String type : Namespaces.JOIN_ORDER) {
            linux.namespace(type).filter(ns -> ns.path() != null)
                    .ifPresent(ns -> s.add(Step.of(Op.SETNS, ns.path(), Namespaces.flag(type))));
        }
        if (isNew(linux, "time")) {
            s.add(Step.of(Op.UNSHARE, Namespaces.CLONE_NEWTIME));
            if (!linux.timeOffsetsOrEmpty().isEmpty()) {
                s.add(Step.of(Op.WRITE_FILE, "/proc/self/timens_offsets", timeOffsets(linux.timeOffsetsOrEmpty())));
            }
        }
        long cloneFlags = 0;
        for (LinuxNamespace ns : linux.namespacesOrEmpty()) {
            if (ns.path() == null && !ns.type().equals("time") && !ns.type().equals("cgroup")) {
                cloneFlags |= Namespaces.flag(ns.type());
            }
        }
        s.add(Step.of(Op.CLONE, cloneFlags, r.cgroupDir() == null ? "" : r.cgroupDir().toString()));
        s.add(Step.of(Op.WAIT_GO));
        if (newUser) {
            s.add(Step.of(Op.SETRESID, 0L, 0L));
        }
        // The cgroup namespace's root is the cgroup the process is in when it is created, so
        // it is unshared only after the runtime placed the process in its cgroup.
        if (isNew(linux, "cgroup")) {
            s.add(Step.of(Op.UNSHARE, Namespaces.CLONE_NEWCGROUP));
        }
        // A new network namespace has lo down; runc brings it up, and so does this runtime.
        if (isNew(linux, "network")) {
            s.add(Step.of(Op.LOOPBACK_UP));
        }

        // Root filesystem: stop propagation to the host, then make the rootfs a mount point
        // of its own so that pivot_root(2) accepts it.
        String rootfs = r.rootfs().toString();
        s.add(Step.of(Op.MOUNT, "", "/", "", MountFlags.rootfsPropagation(linux.rootfsPropagation()), "", ABSOLUTE));
        s.add(Step.of(Op.MOUNT, rootfs, rootfs, "", MS_BIND | MS_REC, "", ABSOLUTE));
        s.add(Step.of(Op.SET_ROOT, rootfs));

        List<Mount> mounts = spec.mountsOrEmpty();
        for (int i = 0; i < mounts.size(); i++) {
            mount(s, mounts.get(i), "mounts[" + i + "]", r, newUser, isNew(linux, "network"), isNew(linux, "cgroup"));
        }
        boolean devBound = mounts.stream().anyMatch(m -> "/dev".equals(clean(m.destination())) && m.isBind());
        if (!devBound) {
            devices(s, linux, newUser, mounts);
        }

        var hooks = spec.hooksOrEmpty();
        if (!hooks.prestartOrEmpty().isEmpty() || !hooks.createRuntimeOrEmpty().isEmpty()) {
            s.add(Step.of(Op.SYNC));
        }
        hooks(s, hooks.createContainerOrEmpty(), "createContainer hook");
        s.add(Step.of(Op.EXEC_FIFO_FD, (long) EXEC_FIFO_FD));
        s.add(Step.of(r.noPivot() ? Op.MOVE_ROOT : Op.PIVOT_ROOT, rootfs));
        s.add(Step.of(Op.SET_ROOT, "/"));

        if (p.terminal()) {
            var size = ProcessSteps.consoleSize(p);
            s.add(Step.of(Op.CONSOLE, size.get("rows"), size.get("cols"), true));
        }
        for (Map.Entry<String, String> e : linux.sysctlOrEmpty().entrySet()) {
            s.add(Step.of(Op.WRITE_FILE, "/proc/sys/" + e.getKey().replace('.', '/'), e.getValue().getBytes()));
        }
        if (spec.root() != null && spec.root().readonly()) {
            s.add(Step.of(Op.MOUNT, "", "/", "", MS_BIND | MS_REMOUNT | MS_RDONLY, "", ABSOLUTE));
        }
        linux.readonlyPathsOrEmpty().forEach(path -> s.add(Step.of(Op.READONLY, path)));
        linux.maskedPathsOrEmpty().forEach(path -> s.add(Step.of(Op.MASK, path)));
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            s.add(Step.of(Op.SETHOSTNAME, spec.hostname()));
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            s.add(Step.of(Op.SETDOMAINNAME, spec.domainname()));
        }
        ProcessSteps.rlimits(s, p);
        s.add(Step.of(Op.SETSID));
        ProcessSteps.identity(s, p, r.seccomp(), warn);
        s.add(Step.of(Op.READY));
        s.add(Step.of(Op.WAIT_START));
        hooks(s, hooks.startContainerOrEmpty(), "startContainer hook");
        ProcessSteps.exec(s, p, r.seccomp());
        return new Plan(s);
    }

    private static boolean isNew(Linux linux, String type) {
        return linux.namespace(type).map(ns -> ns.path() == null).orElse(false);
    }

    private static byte[] timeOffsets(Map<String, LinuxTimeOffset> offsets) {
        StringBuilder b = new StringBuilder();
        offsets.forEach((clock, o) -> b.append(clock).append(' ').append(o.secs() == null ? 0 : o.secs())
                .append(' ').append(o.nanosecs() == null ? 0 : o.nanosecs()).append('\n'));
        return b.toString().getBytes();
    }

    private static String clean(String p) {
        return p == null ? "" : Path.of(p).normalize().toString();
    }

    private void hooks(List<Step> s, List<Hook> hooks, String kind) {
        for (Hook h : hooks) {
            List<String> args = h.args() == null || h.args().isEmpty() ? List.of(h.path()) : h.args();
            s.add(Step.of(Op.RUN_HOOK, h.path(), new Step.StrList(args),
                    new Step.StrList(h.env() == null ? List.of() : h.env()),
                    (long) (h.timeout() == null ? 0 : h.timeout()), kind));
        }
    }

    private void mount(List<Step> s, Mount m, String field, Request r, boolean newUser, boolean newNet, boolean newCgroupNs) {
        Path bundle = r.bundle();
        MountFlags f = MountFlags.parse(m.optionsOrEmpty(), field + ".options");
        String dest = m.destination();
        String type = m.type() == null ? "" : m.type();
        if (f.bind()) {
            Path src = bundle.resolve(m.source() == null ? "" : m.source()).normalize();
            if (!Files.exists(src)) {
                throw GantryException.notFound(field + ".source: " + src + " does not exist");
            }
            long kind = Files.isDirectory(src) ? DIR_IN_ROOT : FILE_IN_ROOT;
            s.add(Step.of(Op.MOUNT, src.toString(), dest, "", MS_BIND | (f.recursive() ? MS_REC : 0), "", kind));
            // Flags on a bind mount only take effect through a remount (mount(2), "Creating a bind mount").
            if (f.flags() != 0) {
                s.add(Step.of(Op.MOUNT, "", dest, "", MS_BIND | MS_REMOUNT | f.flags(), "", EXISTING_IN_ROOT));
            }
        } else if (type.equals("cgroup")) {
            cgroupMount(s, dest, f, newCgroupNs, r.cgroupDirs());
            return;
        } else {
            String source = m.source() == null ? type : m.source();
            if (type.equals("sysfs") && newUser && !newNet) {
                s.add(Step.of(Op.MOUNT, source, dest, type, f.flags(), f.data(), DIR_IN_ROOT, "/sys"));
            } else {
                s.add(Step.of(Op.MOUNT, source, dest, type, f.flags(), f.data(), DIR_IN_ROOT));
            }
        }
        if (f.propagation() != 0) {
            s.add(Step.of(Op.MOUNT, "", dest, "", f.propagation(), "", EXISTING_IN_ROOT));
        }
    }

    /**
     * A "cgroup" mount: cgroup2 itself on a pure v2 host; on v1 and hybrid hosts a tmpfs with
     * one directory per hierarchy, as runc does. Inside a new cgroup namespace each hierarchy
     * is mounted afresh (showing only the container's subtree); without one, the container's
     * own cgroup directories are bound in (the runtime's own where the container has none in
     * a hierarchy), never the host's whole tree.
     */
    private void cgroupMount(List<Step> s, String dest, MountFlags f, boolean newCgroupNs, Map<Path, Path> containerDirs) {
        long base = f.flags() | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        List<HostFacts.CgroupHierarchy> hs = host.cgroupHierarchies();
        boolean pureV2 = hs.size() == 1 && hs.getFirst().v2();
        if (pureV2 && newCgroupNs) {
            s.add(Step.of(Op.MOUNT, "cgroup2", dest, "cgroup2", base, "", DIR_IN_ROOT));
            return;
        }
        s.add(Step.of(Op.MOUNT, "tmpfs", dest, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755", DIR_IN_ROOT));
        Map<String, String> dirs = new LinkedHashMap<>();
        for (HostFacts.CgroupHierarchy h : hs) {
            String name = h.mountPoint().getFileName().toString();
            String sub = dest + "/" + name;
            if (dirs.containsValue(sub)) {
                continue;
            }
            dirs.put(h.key(), sub);
            if (newCgroupNs) {
                s.add(Step.of(Op.MOUNT, "cgroup", sub, h.v2() ? "cgroup2" : "cgroup", base, h.v2() ? "" : h.subsystems(), DIR_IN_ROOT));
            } else {
                Path src = containerDirs.getOrDefault(h.mountPoint(),
                        Path.of(h.mountPoint() + host.ownCgroups().getOrDefault(h.key(), "/")).normalize());
                s.add(Step.of(Op.MOUNT, src.toString(), sub, "", MS_BIND | MS_REC, "", DIR_IN_ROOT));
                s.add(Step.of(Op.MOUNT, "", sub, "", MS_BIND | MS_REMOUNT | base, "", EXISTING_IN_ROOT));
            }
            // "cpu,cpuacct" is also reachable as "cpu" and "cpuacct", as on the host.
            if (!h.v2() && h.subsystems().contains(",") && !h.subsystems().startsWith("name=")) {
                for (String sys : h.subsystems().split(",")) {
                    if (!sys.equals(name)) {
                        s.add(Step.of(Op.SYMLINK, name, dest + "/" + sys));
                    }
                }
            }
        }
        if ((f.flags() & MS_RDONLY) != 0) {
            s.add(Step.of(Op.MOUNT, "", dest, "", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755", EXISTING_IN_ROOT));
        }
    }

    /**
     * Device nodes. Inside a user namespace mknod(2) is refused, so each device is a bind
     * mount of the host's node instead (what runc does for rootless containers).
     */
    private void devices(List<Step> s, Linux linux, boolean newUser, List<Mount> mounts) {
        Map<String, LinuxDevice> devs = new LinkedHashMap<>();
        DEFAULT_DEVICES.forEach(d -> devs.put(d.path(), d));
        List<LinuxDevice> configured = linux.devicesOrEmpty();
        for (int i = 0; i < configured.size(); i++) {
            LinuxDevice d = configured.get(i);
            if (!d.path().startsWith("/dev/")) {
                throw GantryException.invalid("config.json: linux.devices[" + i + "].path: must be under /dev, got " + d.path());
            }
            devs.put(d.path(), d);
        }
        for (LinuxDevice d : devs.values()) {
            if (newUser) {
                s.add(Step.of(Op.MOUNT, d.path(), d.path(), "", MS_BIND, "", FILE_IN_ROOT));
            } else {
                int kind = switch (d.type()) {
                    case "c", "u" -> S_IFCHR;
                    case "b" -> S_IFBLK;
                    case "p" -> S_IFIFO;
                    default -> throw GantryException.invalid("config.json: linux.devices: " + d.path()
                            + ": unknown device type \"" + d.type() + "\"");
                };
                long major = d.major() == null ? 0 : d.major(), minor = d.minor() == null ? 0 : d.minor();
                // makedev(3) for the kernel's 32-bit dev_t layout.
                long dev = ((major & 0xfff) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xff) | ((minor & ~0xffL) << 12);
                int mode = d.fileMode() == null ? 0666 : d.fileMode();
                s.add(Step.of(Op.MKNOD, d.path(), (long) (kind | (mode & 07777)), dev,
                        d.uid() == null ? 0L : d.uid(), d.gid() == null ? 0L : d.gid()));
            }
        }
        s.add(Step.of(Op.SYMLINK, "/proc/self/fd", "/dev/fd"));
        s.add(Step.of(Op.SYMLINK, "/proc/self/fd/0", "/dev/stdin"));
        s.add(Step.of(Op.SYMLINK, "/proc/self/fd/1", "/dev/stdout"));
        s.add(Step.of(Op.SYMLINK, "/proc/self/fd/2", "/dev/stderr"));
        if (mounts.stream().anyMatch(m -> "/dev/pts".equals(clean(m.destination())))) {
            s.add(Step.of(Op.SYMLINK, "pts/ptmx", "/dev/ptmx"));
        }
    }
}
