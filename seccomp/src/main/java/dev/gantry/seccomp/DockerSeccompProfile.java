package dev.gantry.seccomp;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.oci.runtime.LinuxSeccompArg;
import dev.gantry.oci.runtime.LinuxSyscall;
import dev.gantry.oci.runtime.OciSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seccomp profile in Docker's format ({@code docker run --security-opt seccomp=profile.json},
 * and dockerd's built-in default): the runtime spec's fields plus {@code archMap} and, per
 * syscall entry, {@code includes}/{@code excludes} filters on capabilities, Go architecture
 * names ("amd64", "x32", "x86", "arm64", ...) and a minimum kernel. {@link #toLinuxSeccomp}
 * resolves those filters for one container the way dockerd does before writing config.json.
 */
public final class DockerSeccompProfile {
    private static final Pattern KERNEL_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");
    /** dockerd's mapping from Go's GOARCH to the libseccomp arch its archMap is keyed by. */
    private static final Map<String, String> GO_TO_SCMP = Map.ofEntries(
            Map.entry("amd64", "SCMP_ARCH_X86_64"), Map.entry("386", "SCMP_ARCH_X86"),
            Map.entry("arm64", "SCMP_ARCH_AARCH64"), Map.entry("arm", "SCMP_ARCH_ARM"),
            Map.entry("mips64", "SCMP_ARCH_MIPS64"), Map.entry("mips64le", "SCMP_ARCH_MIPSEL64"),
            Map.entry("ppc64le", "SCMP_ARCH_PPC64LE"), Map.entry("s390x", "SCMP_ARCH_S390X"),
            Map.entry("riscv64", "SCMP_ARCH_RISCV64"), Map.entry("loong64", "SCMP_ARCH_LOONGARCH64"));

    /** Docker's JSON document. */
    record Document(String defaultAction, Long defaultErrnoRet, List<String> architectures, List<ArchMap> archMap,
            List<String> flags, String listenerPath, String listenerMetadata, List<Entry> syscalls) {
    }

    record ArchMap(String architecture, List<String> subArchitectures) {
    }

    record Entry(String name, List<String> names, String action, Long errnoRet, List<LinuxSeccompArg> args,
            Filter includes, Filter excludes) {
    }

    record Filter(List<String> caps, List<String> arches, String minKernel) {
    }

    private final Document document;

    private DockerSeccompProfile(Document document) {
        this.document = document;
    }

    public static DockerSeccompProfile parse(byte[] json) {
        Document document = OciSpecs.decode(json, Document.class, "seccomp profile");
        if (document == null || document.defaultAction() == null) {
            throw GantryException.invalid("seccomp profile: defaultAction: is required");
        }
        if (nonEmpty(document.architectures()) && nonEmpty(document.archMap())) {
            throw GantryException.invalid("seccomp profile: use either architectures or archMap, not both");
        }
        return new DockerSeccompProfile(document);
    }

    public static DockerSeccompProfile read(Path profile) {
        try {
            return parse(Files.readAllBytes(profile));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.NOT_FOUND, profile + ": cannot read seccomp profile: " + e.getMessage(), e);
        }
    }

    /** {@link #toLinuxSeccomp(Collection, String, String)} for amd64 and the running kernel. */
    public LinuxSeccomp toLinuxSeccomp(Collection<String> boundingCapabilities) {
        String release;
        try {
            release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "/proc/sys/kernel/osrelease: " + e.getMessage(), e);
        }
        return toLinuxSeccomp(boundingCapabilities, "amd64", release);
    }

    /**
     * The runtime-spec filter for a container whose bounding set is {@code boundingCapabilities}
     * ("CAP_SYS_ADMIN" ...), on {@code goArch} ("amd64") under kernel {@code kernelRelease}
     * ("6.18.0-1-amd64"). An entry is kept when none of its {@code excludes} applies (an excluded
     * arch is the current one, any excluded capability is held, the kernel is at least the
     * excluded minimum) and all of its {@code includes} apply (the arch is listed, every listed
     * capability is held, the kernel is at least the minimum).
     */
    public LinuxSeccomp toLinuxSeccomp(Collection<String> boundingCapabilities, String goArch, String kernelRelease) {
        Set<String> caps = Set.copyOf(boundingCapabilities);
        List<String> architectures = new ArrayList<>();
        if (nonEmpty(document.architectures())) {
            architectures.addAll(document.architectures());
        }
        String nativeArch = GO_TO_SCMP.get(goArch);
        for (ArchMap map : orEmpty(document.archMap())) {
            if (map.architecture() != null && map.architecture().equals(nativeArch)) {
                architectures.add(map.architecture());
                architectures.addAll(orEmpty(map.subArchitectures()));
                break;
            }
        }
        List<LinuxSyscall> syscalls = new ArrayList<>();
        List<Entry> entries = orEmpty(document.syscalls());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (excluded(entry.excludes(), caps, goArch, kernelRelease)
                    || !included(entry.includes(), caps, goArch, kernelRelease)) {
                continue;
            }
            syscalls.add(new LinuxSyscall(names(entry, i), entry.action(), entry.errnoRet(), entry.args()));
        }
        return new LinuxSeccomp(document.defaultAction(), document.defaultErrnoRet(),
                architectures.isEmpty() ? null : List.copyOf(architectures), document.flags(),
                document.listenerPath(), document.listenerMetadata(), List.copyOf(syscalls));
    }

    private static List<String> names(Entry entry, int i) {
        if (entry.name() != null && !entry.name().isEmpty()) {
            if (nonEmpty(entry.names())) {
                throw GantryException.invalid("seccomp profile: syscalls[" + i + "]: use either name or names, not both");
            }
            return List.of(entry.name());
        }
        return orEmpty(entry.names());
    }

    private static boolean excluded(Filter filter, Set<String> caps, String goArch, String kernel) {
        if (filter == null) {
            return false;
        }
        return orEmpty(filter.arches()).contains(goArch)
                || orEmpty(filter.caps()).stream().anyMatch(caps::contains)
                || (filter.minKernel() != null && kernelAtLeast(kernel, filter.minKernel()));
    }

    private static boolean included(Filter filter, Set<String> caps, String goArch, String kernel) {
        if (filter == null) {
            return true;
        }
        return (orEmpty(filter.arches()).isEmpty() || filter.arches().contains(goArch))
                && caps.containsAll(orEmpty(filter.caps()))
                && (filter.minKernel() == null || kernelAtLeast(kernel, filter.minKernel()));
    }

    /** Compares major.minor, as dockerd does for minKernel ("4.8"). */
    static boolean kernelAtLeast(String release, String minimum) {
        int[] have = majorMinor(release, "kernel release");
        int[] want = majorMinor(minimum, "minKernel");
        return have[0] != want[0] ? have[0] > want[0] : have[1] >= want[1];
    }

    private static int[] majorMinor(String version, String what) {
        Matcher m = KERNEL_VERSION.matcher(version.trim());
        if (!m.find()) {
            throw GantryException.invalid("seccomp profile: " + what + ": not a kernel version: \"" + version + "\"");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static boolean nonEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
