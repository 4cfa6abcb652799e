package dev.gantry.api.docker.host;

import dev.gantry.api.docker.backend.SystemInfoProvider;
import dev.gantry.api.docker.model.SystemInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code /info} as read from the host: kernel and OS release, CPUs, memory, which cgroup
 * controllers and features exist (cgroup v1, v2 or hybrid — on a hybrid host the v1
 * controllers are the ones containers are limited by, so the version is "1"), IP forwarding,
 * and the daemon's own settings. Every path is read under {@code root} ("/" on a real host),
 * so tests run on a fake tree. Counts of containers and images are zero here; the engine
 * adds them with {@link SystemInfo#withCounts}.
 */
public final class HostSystemInfo implements SystemInfoProvider {
    /**
     * The daemon's side of {@code /info}: its version, data directory, the OCI runtimes it
     * can use (name → binary) and which one is the default.
     */
    public record Settings(String serverVersion, Path dockerRootDir, Map<String, SystemInfo.Runtime> runtimes, String defaultRuntime) {}

    private final Path root;
    private final Settings settings;

    public HostSystemInfo(Path root, Settings settings) {
        this.root = root;
        this.settings = settings;
    }

    @Override
    public SystemInfo info() {
        Path cg = path("sys/fs/cgroup");
        boolean v2Only = Files.exists(cg.resolve("cgroup.controllers"));
        String v2Controllers = v2Only ? read("sys/fs/cgroup/cgroup.controllers").orElse("") : "";
        boolean memory = v2Only ? v2Controllers.contains("memory") : Files.isDirectory(cg.resolve("memory"));
        boolean swap = v2Only ? memory : Files.exists(cg.resolve("memory/memory.memsw.limit_in_bytes"));
        boolean cpu = v2Only ? v2Controllers.contains("cpu") : Files.exists(cg.resolve("cpu/cpu.cfs_quota_us"));
        boolean shares = v2Only ? cpu : Files.exists(cg.resolve("cpu/cpu.shares"));
        boolean cpuset = v2Only ? v2Controllers.contains("cpuset") : Files.isDirectory(cg.resolve("cpuset"));
        boolean pids = v2Only ? v2Controllers.contains("pids") : Files.isDirectory(cg.resolve("pids"));
        boolean oomKillDisable = !v2Only && Files.exists(cg.resolve("memory/memory.oom_control"));
        boolean forwarding = read("proc/sys/net/ipv4/ip_forward").map("1"::equals).orElse(false);
        boolean nfIptables = read("proc/sys/net/bridge/bridge-nf-call-iptables").map("1"::equals).orElse(false);
        boolean nfIp6tables = read("proc/sys/net/bridge/bridge-nf-call-ip6tables").map("1"::equals).orElse(false);

        var warnings = new ArrayList<String>();
        if (!swap) {
            warnings.add("WARNING: No swap limit support");
        }
        Map<String, String> osRelease = osRelease();
        String id = read("etc/machine-id").map(m -> UUID.nameUUIDFromBytes(("gantry:" + m).getBytes(StandardCharsets.UTF_8)).toString())
                .orElse("");
        return new SystemInfo(
                id,
                0, 0, 0, 0, 0,
                "overlay2",
                List.of(List.of("Backing Filesystem", "extfs"), List.of("Supports d_type", "true"), List.of("Using metacopy", "false"),
                        List.of("Native Overlay Diff", "true"), List.of("userxattr", "false")),
                settings.dockerRootDir().toString(),
                new SystemInfo.Plugins(List.of("local"), List.of("bridge", "host", "null"), null, List.of("json-file")),
                memory, swap, cpu, cpu, shares, cpuset, pids, oomKillDisable,
                forwarding, nfIptables, nfIp6tables,
                false,
                openFileDescriptors(),
                threads(),
                Instant.now().toString(),
                "json-file",
                "cgroupfs",
                v2Only ? "2" : "1",
                0,
                read("proc/sys/kernel/osrelease").orElse(""),
                osRelease.getOrDefault("PRETTY_NAME", "Linux"),
                osRelease.getOrDefault("VERSION_ID", ""),
                "linux",
                machine(),
                Runtime.getRuntime().availableProcessors(),
                memTotal(),
                "https://index.docker.io/v1/",
                new SystemInfo.RegistryConfig(List.of("::1/128", "127.0.0.0/8"), Map.of(), List.of()),
                "", "", "",
                read("proc/sys/kernel/hostname").orElse(""),
                List.of(),
                false,
                settings.serverVersion(),
                settings.runtimes(),
                settings.defaultRuntime(),
                SystemInfo.Swarm.INACTIVE,
                false,
                "",
                "",
                new SystemInfo.Commit("", ""),
                new SystemInfo.Commit("", ""),
                new SystemInfo.Commit("", ""),
                List.of("name=seccomp,profile=builtin"),
                warnings);
    }

    /** The kernel's name for the machine (what {@code uname -m} prints), which Docker reports here. */
    private static String machine() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
    }

    private long memTotal() {
        return read("proc/meminfo").flatMap(text -> text.lines()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                        .findFirst())
                .orElse(0L);
    }

    private int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(path("proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private int threads() {
        return read("proc/self/status").flatMap(text -> text.lines()
                        .filter(l -> l.startsWith("Threads:"))
                        .map(l -> Integer.parseInt(l.substring("Threads:".length()).trim()))
                        .findFirst())
                .orElse(0);
    }

    private Map<String, String> osRelease() {
        var out = new java.util.HashMap<String, String>();
        read("etc/os-release").ifPresent(text -> text.lines().forEach(line -> {
            int eq = line.indexOf('=');
            if (eq > 0) {
                String v = line.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                out.put(line.substring(0, eq), v);
            }
        }));
        return out;
    }

    private Path path(String relative) {
        return root.resolve(relative);
    }

    /** A file's trimmed text, or empty when it cannot be read (the feature is then reported absent). */
    private Optional<String> read(String relative) {
        try {
            return Optional.of(Files.readString(path(relative)).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
