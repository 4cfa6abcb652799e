package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import dev.gantry.engine.MountSpec;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A container path that lies inside one of the container's volumes or bind mounts, as the
 * host sees it: the mount's host directory and the path below it. Volumes and binds are
 * mounted only in the container's mount namespace (its rootfs shows the empty mount point),
 * so {@code docker cp} reaches their content through the host directory instead, with
 * symlinks resolved inside that directory. tmpfs content exists only in the container.
 *
 * @param hostRoot the volume's directory or the bind's source
 * @param path     the path below it, absolute ("/" for the mount point itself)
 * @param readOnly the mount is read-only in the container: nothing may be copied into it
 * @param name     the last component of the container path, which names what is copied out
 *                 (the host directory's own name is the volume's, not the container's)
 */
public record MountedPath(Path hostRoot, String path, boolean readOnly, String name) {

    /**
     * The innermost volume or bind that holds {@code path}; empty when it is in the rootfs
     * itself. INVALID_ARGUMENT for a path inside a tmpfs mount.
     *
     * @param volumeDir a named volume's host directory
     */
    public static Optional<MountedPath> find(String path, List<MountSpec> mounts, Collection<String> tmpfsTargets,
            Function<String, String> volumeDir) {
        String p = ContainerPath.of(path).clean();
        MountSpec best = null;
        String bestTarget = null;
        for (MountSpec m : mounts) {
            String target = ContainerPath.of(m.target()).clean();
            if (within(p, target) && (bestTarget == null || target.length() > bestTarget.length())) {
                best = m;
                bestTarget = target;
            }
        }
        for (String t : tmpfsTargets) {
            String target = ContainerPath.of(t).clean();
            if (within(p, target) && (bestTarget == null || target.length() >= bestTarget.length())) {
                throw GantryException.invalid("path " + path + ": inside the tmpfs mount at " + target
                        + ", whose content exists only inside the container");
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        if (best.type() == MountSpec.Type.TMPFS) {
            throw GantryException.invalid("path " + path + ": inside the tmpfs mount at " + bestTarget
                    + ", whose content exists only inside the container");
        }
        Path root = Path.of(best.type() == MountSpec.Type.VOLUME ? volumeDir.apply(best.source()) : best.source());
        // A trailing "/" or "/." means "the directory's content" and is kept; clean() drops it.
        String suffix = path.endsWith("/.") ? "/." : path.endsWith("/") ? "/" : "";
        String below = (p.equals(bestTarget) ? "" : p.substring(bestTarget.length())) + suffix;
        String name = ContainerPath.of(path).name();
        return Optional.of(new MountedPath(root, below.isEmpty() ? "/" : below, best.readOnly(), name));
    }

    private static boolean within(String path, String target) {
        return !target.equals("/") && (path.equals(target) || path.startsWith(target + "/"));
    }
}
