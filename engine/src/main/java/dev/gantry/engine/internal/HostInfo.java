package dev.gantry.engine.internal;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Facts about the host that shape a container's spec.
 *
 * @param boundingCapabilities what this process may grant (its CapBnd)
 * @param hardLimits           this process's hard rlimits by Docker name ("nofile" → 20000); without
 *                             CAP_SYS_RESOURCE a container cannot get more
 * @param swapAccounting       whether the memory cgroup limits memory+swap (memory.memsw.* exists)
 * @param hostname             the host's hostname, for {@code NetworkMode=host}
 * @param kernelRelease        uname -r, for the seccomp profile's minimum-kernel filters
 */
public record HostInfo(List<String> boundingCapabilities, Map<String, Long> hardLimits, boolean swapAccounting,
        String hostname, String kernelRelease) {

    /** Docker's ulimit names in /proc/self/limits order. */
    private static final Map<String, String> LIMIT_NAMES = Map.ofEntries(
            Map.entry("Max cpu time", "cpu"), Map.entry("Max file size", "fsize"), Map.entry("Max data size", "data"),
            Map.entry("Max stack size", "stack"), Map.entry("Max core file size", "core"),
            Map.entry("Max resident set", "rss"), Map.entry("Max processes", "nproc"),
            Map.entry("Max open files", "nofile"), Map.entry("Max locked memory", "memlock"),
            Map.entry("Max address space", "as"), Map.entry("Max file locks", "locks"),
            Map.entry("Max pending signals", "sigpending"), Map.entry("Max msgqueue size", "msgqueue"),
            Map.entry("Max nice priority", "nice"), Map.entry("Max realtime priority", "rtprio"),
            Map.entry("Max realtime timeout", "rttime"));

    public static HostInfo probe() {
        try {
            long capBnd = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    capBnd = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
            Map<String, Long> hard = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                for (var e : LIMIT_NAMES.entrySet()) {
                    if (line.startsWith(e.getKey() + " ")) {
                        String[] cols = line.substring(25).trim().split("\\s+");
                        hard.put(e.getValue(), cols[1].equals("unlimited") ? -1L : Long.parseLong(cols[1]));
                    }
                }
            }
            boolean memsw = Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))
                    || Files.exists(Path.of("/sys/fs/cgroup/memory.swap.max"));
            String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            return new HostInfo(Capabilities.fromMask(capBnd), Map.copyOf(hard), memsw, hostname, release);
        } catch (IOException | RuntimeException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading host facts from /proc: " + e.getMessage(), e);
        }
    }

    /** The hard limit for a Docker ulimit name, -1 for unlimited; INVALID_ARGUMENT for an unknown name. */
    public long hardLimit(String name) {
        Long v = hardLimits.get(name.toLowerCase(Locale.ROOT));
        if (v == null) {
            throw GantryException.invalid("HostConfig.Ulimits: unknown ulimit \"" + name + "\"");
        }
        return v;
    }
}
