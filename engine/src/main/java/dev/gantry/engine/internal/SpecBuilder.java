package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import dev.gantry.engine.Config;
import dev.gantry.engine.HostConfig;
import dev.gantry.oci.runtime.Linux;
import dev.gantry.oci.runtime.LinuxCapabilities;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxDevice;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxNamespace;
import dev.gantry.oci.runtime.LinuxPids;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.oci.runtime.Mount;
import dev.gantry.oci.runtime.OciSpecs;
import dev.gantry.oci.runtime.PosixRlimit;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.Root;
import dev.gantry.oci.runtime.Spec;
import dev.gantry.oci.runtime.User;
import dev.gantry.seccomp.DockerSeccompProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A container's configuration (already merged with its image's) → the OCI spec the runtime
 * executes, with dockerd's defaults: its capability set, Docker's seccomp profile, masked and
 * read-only /proc and /sys paths, the standard /proc, /dev, /sys, /dev/shm mounts, private
 * pid, ipc, uts, mount (and, unless host networking, network) namespaces. Pure: every host
 * fact comes in through {@link Input}.
 */
public final class SpecBuilder {
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final long DEFAULT_SHM = 64L << 20;
    private static final long MIN_MEMORY = 6L << 20;
    private static final long CPU_PERIOD = 100_000;
    private static final List<String> MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");
    private static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /**
     * @param config     the merged configuration
     * @param rootfs     the mounted root file system
     * @param etcFiles   the container's generated hosts, hostname and resolv.conf, by file name
     * @param user       the resolved user
     * @param mounts     binds, volumes and tmpfs mounts, resolved to host paths
     * @param devices    host devices to create (privileged: all of them)
     * @param seccompDefault Docker's default profile
     * @param initBinary     the host file of Gantry's init, bound at {@value #INIT_PATH} when
     *                       {@link HostConfig#init()} asks for it
     */
    public record Input(Config config, HostConfig host, String rootfs, Map<String, String> etcFiles,
            UserResolver.Resolved user, List<ResolvedMount> mounts, List<LinuxDevice> devices, HostInfo hostInfo,
            DockerSeccompProfile seccompDefault, String initBinary) {
    }

    /** Where {@code --init} puts the init in the container (Docker's path). */
    public static final String INIT_PATH = "/dev/init";

    /** The spec and warnings about requested settings the host cannot apply. */
    public record Built(Spec spec, List<String> warnings) {
    }

    private SpecBuilder() {
    }

    public static Built build(Input in) {
        Config c = in.config();
        HostConfig h = in.host();
        List<String> warnings = new ArrayList<>();
        SecurityOptions sec = SecurityOptions.parse(h.securityOpt());
        List<String> caps = h.privileged() ? in.hostInfo().boundingCapabilities()
                : Capabilities.effective(h.capAdd(), h.capDrop(), in.hostInfo().boundingCapabilities());
        Process process = new Process(c.tty(), null, user(in.user()), h.init() ? withInit(args(c)) : args(c), null, env(c, in.user()),
                c.workingDir() == null || c.workingDir().isEmpty() ? "/" : c.workingDir(),
                new LinuxCapabilities(caps, caps, null, caps, null), rlimits(h, in.hostInfo()),
                sec.noNewPrivileges(), null, h.oomScoreAdj() == 0 ? null : checkOomScore(h.oomScoreAdj()), null, null,
                null, null);
        boolean hostNet = network(h);
        Linux linux = new Linux(null, null, sysctls(h, hostNet), resources(h, in.devices(), in.hostInfo(), warnings),
                null, namespaces(hostNet), in.devices().isEmpty() ? null : in.devices(),
                seccomp(h, sec, caps, in), null,
                h.privileged() || sec.systemPathsUnconfined() ? null : MASKED,
                h.privileged() || sec.systemPathsUnconfined() ? null : READONLY,
                null, null, null, null, null, null);
        String hostname = hostNet ? in.hostInfo().hostname() : c.hostname();
        Spec spec = new Spec(OciSpecs.OCI_VERSION, process, new Root(in.rootfs(), h.readonlyRootfs()), hostname,
                c.domainname(), mounts(in, h), null, null, linux);
        return new Built(spec, List.copyOf(warnings));
    }

    private static List<String> args(Config c) {
        List<String> args = new ArrayList<>(c.entrypoint() == null ? List.of() : c.entrypoint());
        args.addAll(c.cmd() == null ? List.of() : c.cmd());
        if (args.isEmpty()) {
            throw GantryException.invalid("Config.Cmd: no command specified");
        }
        return args;
    }

    /** The init runs the command after its "--" (so the command's own options are never the init's). */
    private static List<String> withInit(List<String> args) {
        List<String> out = new ArrayList<>(List.of(INIT_PATH, "--"));
        out.addAll(args);
        return out;
    }

    private static User user(UserResolver.Resolved u) {
        return new User(u.uid(), u.gid(), null, u.additionalGids().isEmpty() ? null : u.additionalGids(), null);
    }

    /** The configured environment plus what dockerd adds when absent: PATH, HOSTNAME, TERM for a TTY, HOME. */
    private static List<String> env(Config c, UserResolver.Resolved user) {
        List<String> env = new ArrayList<>();
        if (!CommandMerge.has(c.env(), "PATH")) {
            env.add(DEFAULT_PATH);
        }
        if (c.hostname() != null && !CommandMerge.has(c.env(), "HOSTNAME")) {
            env.add("HOSTNAME=" + c.hostname());
        }
        env.addAll(c.env());
        if (c.tty() && !CommandMerge.has(c.env(), "TERM")) {
            env.add("TERM=xterm");
        }
        if (!CommandMerge.has(c.env(), "HOME")) {
            env.add("HOME=" + user.home());
        }
        return env;
    }

    private static int checkOomScore(int v) {
        if (v < -1000 || v > 1000) {
            throw GantryException.invalid("HostConfig.OomScoreAdj: " + v + " is outside -1000..1000");
        }
        return v;
    }

    private static List<PosixRlimit> rlimits(HostConfig h, HostInfo host) {
        if (h.ulimits().isEmpty()) {
            return null;
        }
        List<PosixRlimit> out = new ArrayList<>();
        for (HostConfig.Ulimit u : h.ulimits()) {
            String name = u.name().toLowerCase(Locale.ROOT);
            long max = host.hardLimit(name);
            if (u.soft() > u.hard()) {
                throw GantryException.invalid("HostConfig.Ulimits: " + name + " soft limit " + u.soft()
                        + " is above its hard limit " + u.hard());
            }
            if (max >= 0 && (u.hard() < 0 || u.hard() > max)) {
                throw GantryException.invalid("HostConfig.Ulimits: " + name + " hard limit " + u.hard()
                        + " is above the host's hard limit " + max + " (the engine lacks CAP_SYS_RESOURCE to raise it)");
            }
            out.add(new PosixRlimit("RLIMIT_" + name.toUpperCase(Locale.ROOT), u.hard(), u.soft()));
        }
        return out;
    }

    /**
     * True for host networking. Every other mode (bridge, none, container:, a user network)
     * gives the container a namespace of its own or another container's, which the engine's
     * networking checks and fills.
     */
    public static boolean network(HostConfig h) {
        return h.networkMode().equals("host");
    }

    private static List<LinuxNamespace> namespaces(boolean hostNet) {
        List<LinuxNamespace> ns = new ArrayList<>();
        for (String t : List.of("pid", "ipc", "uts", "mount")) {
            ns.add(new LinuxNamespace(t, null));
        }
        if (!hostNet) {
            ns.add(new LinuxNamespace("network", null));
        }
        return ns;
    }

    /** Only namespaced parameters (the IPC ones, fs.mqueue.*, and net.* in a network namespace of its own). */
    private static Map<String, String> sysctls(HostConfig h, boolean hostNet) {
        for (String key : h.sysctls().keySet()) {
            boolean ipc = key.startsWith("kernel.msg") || key.startsWith("kernel.shm") || key.equals("kernel.sem")
                    || key.startsWith("fs.mqueue.");
            boolean net = key.startsWith("net.");
            if (net && hostNet) {
                throw GantryException.invalid("HostConfig.Sysctls: " + key + " cannot be set with host networking");
            }
            if (!ipc && !net) {
                throw GantryException.invalid("HostConfig.Sysctls: " + key + " is not namespaced and cannot be set per container");
            }
        }
        return h.sysctls().isEmpty() ? null : h.sysctls();
    }

    /**
     * The memory, CPU and pids limits of {@code h}, validated as at create: what a running
     * container's cgroup is updated to ({@code docker update}). Devices are not updatable.
     */
    public static LinuxResources updatable(HostConfig h, HostInfo host, List<String> warnings) {
        return new LinuxResources(null, memory(h, host, warnings), cpu(h), h.pidsLimit() != null && h.pidsLimit() > 0
                ? new LinuxPids(h.pidsLimit()) : null, null, null, null, null, null);
    }

    private static LinuxResources resources(HostConfig h, List<LinuxDevice> devices, HostInfo host, List<String> warnings) {
        List<LinuxDeviceCgroup> rules = new ArrayList<>();
        if (h.privileged()) {
            rules.add(new LinuxDeviceCgroup(true, "a", null, null, "rwm"));
        } else {
            rules.add(new LinuxDeviceCgroup(false, null, null, null, "rwm"));
            for (int i = 0; i < devices.size(); i++) {
                LinuxDevice d = devices.get(i);
                String access = i < h.devices().size() && h.devices().get(i).cgroupPermissions() != null
                        ? h.devices().get(i).cgroupPermissions() : "rwm";
                rules.add(new LinuxDeviceCgroup(true, d.type(), d.major(), d.minor(), access));
            }
        }
        return new LinuxResources(rules, memory(h, host, warnings), cpu(h), h.pidsLimit() != null && h.pidsLimit() > 0
                ? new LinuxPids(h.pidsLimit()) : null, null, null, null, null, null);
    }

    private static LinuxMemory memory(HostConfig h, HostInfo host, List<String> warnings) {
        if (h.memory() == 0 && h.memorySwap() == 0) {
            return null;
        }
        if (h.memory() < 0) {
            throw GantryException.invalid("HostConfig.Memory: must not be negative");
        }
        if (h.memory() > 0 && h.memory() < MIN_MEMORY) {
            throw GantryException.invalid("HostConfig.Memory: the minimum memory limit allowed is 6MB");
        }
        if (h.memorySwap() > 0 && h.memory() == 0) {
            throw GantryException.invalid("HostConfig.MemorySwap: needs a memory limit (HostConfig.Memory) as well");
        }
        if (h.memorySwap() > 0 && h.memorySwap() < h.memory()) {
            throw GantryException.invalid("HostConfig.MemorySwap: must be at least HostConfig.Memory");
        }
        Long swap = null;
        if (h.memorySwap() != 0 || h.memory() > 0) {
            long wanted = h.memorySwap() == 0 ? 2 * h.memory() : h.memorySwap();
            if (host.swapAccounting()) {
                swap = wanted;
            } else if (h.memorySwap() != 0) {
                warnings.add("the host does not account swap: HostConfig.MemorySwap is ignored");
            }
        }
        return new LinuxMemory(h.memory() > 0 ? h.memory() : null, null, swap, null, null, null, null, null, null);
    }

    private static LinuxCpu cpu(HostConfig h) {
        if (h.nanoCpus() == 0 && h.cpuShares() == 0 && (h.cpusetCpus() == null || h.cpusetCpus().isEmpty())) {
            return null;
        }
        long cpus = Runtime.getRuntime().availableProcessors();
        if (h.nanoCpus() < 0 || h.nanoCpus() > cpus * 1_000_000_000L || (h.nanoCpus() > 0 && h.nanoCpus() < 10_000_000)) {
            throw GantryException.invalid("HostConfig.NanoCpus: the range of CPUs is from 0.01 to " + cpus);
        }
        if (h.cpuShares() < 0) {
            throw GantryException.invalid("HostConfig.CpuShares: must not be negative");
        }
        Long quota = h.nanoCpus() > 0 ? h.nanoCpus() * CPU_PERIOD / 1_000_000_000L : null;
        return new LinuxCpu(h.cpuShares() > 0 ? h.cpuShares() : null, quota, null, quota != null ? CPU_PERIOD : null,
                null, null, h.cpusetCpus() == null || h.cpusetCpus().isEmpty() ? null : h.cpusetCpus(), null, null);
    }

    private static LinuxSeccomp seccomp(HostConfig h, SecurityOptions sec, List<String> caps, Input in) {
        if (h.privileged() || sec.seccompUnconfined()) {
            return null;
        }
        DockerSeccompProfile profile = sec.seccompProfile() != null ? DockerSeccompProfile.parse(sec.seccompProfile())
                : in.seccompDefault();
        return profile.toLinuxSeccomp(caps, "amd64", in.hostInfo().kernelRelease());
    }

    /** The standard mounts, then /etc files, then the user's mounts, parents before children. */
    private static List<Mount> mounts(Input in, HostConfig h) {
        String sysMode = h.privileged() ? "rw" : "ro";
        long shm = h.shmSize() > 0 ? h.shmSize() : DEFAULT_SHM;
        List<Mount> out = new ArrayList<>(List.of(
                new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sysMode)),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", sysMode)),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + shm))));
        String etcMode = h.readonlyRootfs() ? "ro" : "rw";
        List<String> userTargets = in.mounts().stream().map(ResolvedMount::destination).toList();
        for (var e : in.etcFiles().entrySet()) {
            String dest = "/etc/" + e.getKey();
            if (!userTargets.contains(dest)) {
                out.add(new Mount(dest, "bind", e.getValue(), List.of("rbind", "rprivate", etcMode)));
            }
        }
        if (h.init()) {
            if (in.initBinary() == null) {
                throw GantryException.invalid("HostConfig.Init: no init binary available on this host");
            }
            out.add(new Mount(INIT_PATH, "bind", in.initBinary(), List.of("rbind", "rprivate", "ro", "nosuid", "nodev")));
        }
        List<ResolvedMount> user = new ArrayList<>(in.mounts());
        user.sort(Comparator.comparingLong(m -> m.destination().chars().filter(ch -> ch == '/').count()));
        for (ResolvedMount m : user) {
            out.removeIf(existing -> existing.destination().equals(m.destination()));
            out.add(new Mount(m.destination(), m.type(), m.source(), m.options()));
        }
        return out;
    }
}
