package dev.gantry.engine;

/**
 * One entry of {@code HostConfig.Mounts} (or a parsed {@code Binds} entry).
 *
 * @param type        bind: a host path; volume: a named volume (created when missing; an
 *                    anonymous one when {@code source} is null); tmpfs: a new tmpfs
 * @param source      host path (bind), volume name (volume), null (tmpfs)
 * @param target      absolute path in the container
 * @param readOnly    mounted read-only
 * @param propagation bind propagation: rprivate (default), private, rshared, shared, rslave, slave
 * @param noCopy      for a volume: do not copy the image's content at {@code target} into a new, empty volume
 * @param tmpfsSize   for tmpfs: size in bytes, 0 for the kernel's default (half of RAM)
 * @param tmpfsMode   for tmpfs: permission bits, 0 for 1777
 */
public record MountSpec(Type type, String source, String target, boolean readOnly, String propagation, boolean noCopy,
        long tmpfsSize, int tmpfsMode) {

    public enum Type { BIND, VOLUME, TMPFS }

    public static MountSpec bind(String hostPath, String target, boolean readOnly) {
        return new MountSpec(Type.BIND, hostPath, target, readOnly, null, false, 0, 0);
    }

    public static MountSpec volume(String name, String target, boolean readOnly) {
        return new MountSpec(Type.VOLUME, name, target, readOnly, null, false, 0, 0);
    }

    public static MountSpec tmpfs(String target, long size) {
        return new MountSpec(Type.TMPFS, null, target, false, null, false, size, 0);
    }
}
