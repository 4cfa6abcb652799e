package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.internal.ContainerFs;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Containers' network namespaces kept open by a bind mount of {@code /proc/<pid>/ns/net} on a
 * file {@code <dir>/<container id>}. The mount keeps the namespace alive after the container's
 * last process exits, so CNI DEL still finds the veth and its addresses: the bridge plugin learns
 * which masquerade rules to remove from the addresses on the interface, and without the namespace
 * it releases the lease but leaves the rules behind. It also names the namespace by container,
 * not by a pid the kernel may hand to another process once the init has been reaped.
 */
final class NetnsMounts {
    private final Syscalls sys;
    private final Path dir;

    NetnsMounts(Syscalls sys, Path dir) {
        this.sys = sys;
        this.dir = dir;
    }

    Path path(String id) {
        return dir.resolve(id);
    }

    /** Binds the network namespace of process {@code pid} to the container's file. */
    Path bind(String id, int pid) {
        Path target = path(id);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(target)) {
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "network namespace file " + target + ": " + e.getMessage(), e);
        }
        if (!ContainerFs.isMounted(target)) {
            sys.mount("/proc/" + pid + "/ns/net", target.toString(), null, Syscalls.MS_BIND, null);
        }
        return target;
    }

    boolean isBound(String id) {
        return ContainerFs.isMounted(path(id));
    }

    /** Lets the namespace go (it ends when nothing else holds it) and removes the file. */
    void release(String id) {
        Path target = path(id);
        while (ContainerFs.isMounted(target)) {
            sys.umount2(target.toString(), Syscalls.MNT_DETACH);
        }
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "network namespace file " + target + ": " + e.getMessage(), e);
        }
    }

    /** The container ids that have a namespace file. */
    List<String> ids() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var s = Files.list(dir)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "listing " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
