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
 *
 * <p>A container on a network gets a namespace {@link #create made here}, before its runtime
 * creates it, so that CNI ADD can run while the runtime works (the spec names the pinned file,
 * as dockerd's sandboxes and CRI pod sandboxes do).
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

    /**
     * Makes a new network namespace with {@code lo} up and pins it on the container's file. A
     * runtime that creates the namespace brings {@code lo} up itself (runc does); one that is
     * given a namespace leaves it as it is, so whoever makes it does. The namespace is made by a
     * thread of its own, which ends with it pinned: a JVM thread cannot go back to the host's
     * namespace without setns(2), and a pooled one must never run anything else in it. If a step
     * fails the namespace ends with the thread, and only the empty file stays (see {@link #release}).
     */
    Path create(String id) {
        Path target = file(id);
        RuntimeException[] failure = {null};
        Thread t = Thread.ofPlatform().name("gantry-netns-" + id.substring(0, Math.min(12, id.length()))).start(() -> {
            try {
                sys.unshare(Syscalls.CLONE_NEWNET);
                sys.interfaceUp("lo");
                // thread-self: the namespace is this thread's, not the process's.
                sys.mount("/proc/thread-self/ns/net", target.toString(), null, Syscalls.MS_BIND, null);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while creating the network namespace " + target);
        }
        if (failure[0] != null) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "network namespace " + target + ": " + failure[0].getMessage(), failure[0]);
        }
        return target;
    }

    /** Binds the network namespace of process {@code pid} to the container's file. */
    Path bind(String id, int pid) {
        Path target = file(id);
        if (!ContainerFs.isMounted(target)) {
            sys.mount("/proc/" + pid + "/ns/net", target.toString(), null, Syscalls.MS_BIND, null);
        }
        return target;
    }

    private Path file(String id) {
        Path target = path(id);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(target)) {
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "network namespace file " + target + ": " + e.getMessage(), e);
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
