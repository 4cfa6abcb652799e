package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Linux capability names (capabilities(7), by number) and dockerd's default set. */
public final class Capabilities {
    /** Index = capability number. */
    static final List<String> ALL = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
            "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /** What dockerd grants a container that asks for nothing (its oci/caps default list). */
    public static final List<String> DOCKER_DEFAULT = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    private Capabilities() {
    }

    /** The names in a {@code CapBnd}-style mask (from /proc/self/status). */
    public static List<String> fromMask(long mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ALL.size(); i++) {
            if ((mask & (1L << i)) != 0) {
                out.add(ALL.get(i));
            }
        }
        return out;
    }

    /** "net_admin", "NET_ADMIN" or "CAP_NET_ADMIN" → "CAP_NET_ADMIN"; "ALL" stays "ALL". */
    static String normalize(String name, String field) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("ALL")) {
            return n;
        }
        if (!n.startsWith("CAP_")) {
            n = "CAP_" + n;
        }
        if (!ALL.contains(n)) {
            throw GantryException.invalid(field + ": unknown capability \"" + name + "\"");
        }
        return n;
    }

    /**
     * Docker's computation: start from the default set (empty when {@code capDrop} holds
     * ALL), remove the dropped ones, add the added ones (every capability the engine holds
     * when {@code capAdd} holds ALL). Capabilities the engine itself lacks are not granted.
     */
    public static List<String> effective(List<String> capAdd, List<String> capDrop, List<String> engineBounding) {
        List<String> add = capAdd.stream().map(c -> normalize(c, "HostConfig.CapAdd")).toList();
        List<String> drop = capDrop.stream().map(c -> normalize(c, "HostConfig.CapDrop")).toList();
        Set<String> caps = new LinkedHashSet<>(drop.contains("ALL") ? List.of() : DOCKER_DEFAULT);
        caps.removeAll(drop);
        if (add.contains("ALL")) {
            caps.addAll(engineBounding);
        } else {
            caps.addAll(add);
        }
        caps.retainAll(engineBounding);
        return List.copyOf(caps);
    }
}
