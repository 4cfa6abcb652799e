package dev.gantry.oci.runtime;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading, validating and writing {@code config.json}, and the default configs that
 * {@code runc spec} and {@code runc spec --rootless} generate.
 */
public final class OciSpecs {
    /** The runtime-spec version Gantry writes into generated configs (the one runc 1.1 writes). */
    public static final String OCI_VERSION = "1.0.2-dev";
    private static final String SOURCE = "config.json";

    private OciSpecs() {
    }

    /** Reads and validates a config; errors name the file: {@code config.json: process.cwd: ...}. */
    public static Spec read(Path configJson) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(configJson);
        } catch (NoSuchFileException e) {
            throw GantryException.notFound(configJson + ": no such file");
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, configJson + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, configJson.getFileName().toString());
    }

    /** Parses and validates config.json bytes. */
    public static Spec parse(byte[] json) {
        return parse(json, SOURCE);
    }

    /** Parses and validates; {@code source} names the document in error messages. */
    public static Spec parse(byte[] json, String source) {
        Spec spec = parseUnvalidated(json, source);
        new SpecValidator(source).validate(spec);
        return spec;
    }

    /** Parses without the MUST checks, for tools that inspect or repair configs. */
    public static Spec parseUnvalidated(byte[] json, String source) {
        Spec spec = decode(json, Spec.class, source);
        if (spec == null) {
            throw GantryException.invalid(source + ": document is null");
        }
        return spec;
    }

    /** Validates a spec built in code with the same checks {@link #parse(byte[])} applies. */
    public static void validate(Spec spec) {
        new SpecValidator(SOURCE).validate(spec);
    }

    /**
     * Decodes any OCI runtime document (e.g. a {@link Process} for exec, or a {@link State})
     * with errors in the same one-line form.
     */
    public static <T> T decode(byte[] json, Class<T> type, String source) {
        return RecordBinder.bind(JsonTree.parse(json, source), type, source);
    }

    /** Writes {@code spec} as pretty-printed JSON (absent fields omitted); does not close {@code out}. */
    public static void write(Spec spec, OutputStream out) {
        try {
            out.write(JsonTree.write(spec, true));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The config {@code runc spec} writes: busybox {@code sh} with a terminal, root in new namespaces. */
    public static Spec defaultSpec() {
        List<Mount> mounts = List.of(
                new Mount("/proc", "proc", "proc", null),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        LinuxResources denyAllDevices = new LinuxResources(
                List.of(new LinuxDeviceCgroup(false, null, null, null, "rwm")),
                null, null, null, null, null, null, null, null);
        Linux linux = new Linux(null, null, null, denyAllDevices, null,
                namespaces("pid", "network", "ipc", "uts", "mount"), null, null, null,
                DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, null, null, null, null, null, null);
        return new Spec(OCI_VERSION, defaultProcess(), new Root("rootfs", true), "runc", null, mounts, null, null, linux);
    }

    /**
     * The config {@code runc spec --rootless} writes for a user with effective ids
     * {@code hostUid}/{@code hostGid}: a user namespace mapping root to that user, no network
     * namespace, {@code /sys} bind-mounted (sysfs cannot be mounted without owning the netns),
     * no {@code gid=5} on devpts (gid 5 is not mapped) and no device cgroup.
     */
    public static Spec rootlessSpec(long hostUid, long hostGid) {
        Spec base = defaultSpec();
        List<Mount> mounts = base.mounts().stream().map(m -> switch (m.destination()) {
            case "/dev/pts" -> new Mount(m.destination(), m.type(), m.source(),
                    m.optionsOrEmpty().stream().filter(o -> !o.equals("gid=5")).toList());
            case "/sys" -> new Mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro"));
            default -> m;
        }).toList();
        Linux linux = new Linux(List.of(new LinuxIdMapping(0, hostUid, 1)), List.of(new LinuxIdMapping(0, hostGid, 1)),
                null, null, null, namespaces("pid", "ipc", "uts", "mount", "user"), null, null, null,
                DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, null, null, null, null, null, null);
        return new Spec(base.ociVersion(), base.process(), base.root(), base.hostname(), null, mounts, null, null, linux);
    }

    /** {@link #rootlessSpec(long, long)} for this process's effective uid and gid. */
    public static Spec rootlessSpec() {
        try {
            long uid = -1;
            long gid = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                // "Uid:\treal\teffective\tsaved\tfs" (proc(5)); runc maps the effective ids.
                if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(line.split("\\s+")[2]);
                } else if (line.startsWith("Gid:")) {
                    gid = Long.parseLong(line.split("\\s+")[2]);
                }
            }
            if (uid < 0 || gid < 0) {
                throw new GantryException(ErrorKind.INTERNAL, "/proc/self/status: no Uid/Gid lines");
            }
            return rootlessSpec(uid, gid);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "/proc/self/status: " + e.getMessage(), e);
        }
    }

    private static final List<String> DEFAULT_CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
    private static final List<String> DEFAULT_MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/sys/firmware", "/proc/scsi");
    private static final List<String> DEFAULT_READONLY_PATHS =
            List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private static Process defaultProcess() {
        return new Process(true, null, new User(0, 0, null, null, null), List.of("sh"), null,
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"), "/",
                new LinuxCapabilities(DEFAULT_CAPS, DEFAULT_CAPS, null, DEFAULT_CAPS, DEFAULT_CAPS),
                List.of(new PosixRlimit("RLIMIT_NOFILE", 1024L, 1024L)), true,
                null, null, null, null, null, null);
    }

    private static List<LinuxNamespace> namespaces(String... types) {
        return java.util.Arrays.stream(types).map(t -> new LinuxNamespace(t, null)).toList();
    }
}
