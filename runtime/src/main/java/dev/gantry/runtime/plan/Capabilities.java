package dev.gantry.runtime.plan;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Capability names to bits (capabilities(7); numbers from linux/capability.h). */
public final class Capabilities {
    private static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
            "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
            "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
            "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private static final Map<String, Integer> BITS = IntStream.range(0, NAMES.size()).boxed()
            .collect(Collectors.toUnmodifiableMap(NAMES::get, i -> i));

    public static final int CAP_SYS_RESOURCE = 24;

    private Capabilities() {}

    /**
     * The mask of the named capabilities. Like runc, a name this table does not know (a
     * capability newer than Gantry) is reported to {@code unknown} and left out.
     */
    public static long mask(Collection<String> names, Consumer<String> unknown) {
        long m = 0;
        for (String n : names) {
            Integer bit = BITS.get(n);
            if (bit == null) {
                unknown.accept(n);
            } else {
                m |= 1L << bit;
            }
        }
        return m;
    }

    public static String name(int bit) {
        return bit < NAMES.size() ? NAMES.get(bit) : "CAP_" + bit;
    }
}
