package dev.gantry.engine.internal;

import dev.gantry.base.FileTrees;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.HostConfig;
import dev.gantry.engine.MountSpec;
import dev.gantry.engine.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's mounts: at create, {@code Binds}, {@code Mounts} and the configuration's
 * {@code Volumes} become one list of {@link MountSpec}s (each target once, named volumes
 * created, anonymous ones created and named); at start, that list and {@code Tmpfs} become
 * spec mounts, and a volume that is still empty gets a copy of what the image has at its
 * target (Docker's copy-up), unless {@code nocopy}.
 */
public final class MountPlanner {
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");
    private static final String TMPFS_DEFAULTS = "nosuid,nodev,noexec";

    private final VolumeStore volumes;

    public MountPlanner(VolumeStore volumes) {
        this.volumes = volumes;
    }

    /** Parses one {@code Binds} entry: {@code source:target[:options]}; a source not starting with / names a volume. */
    public static MountSpec parseBind(String bind) {
        String[] parts = bind.split(":");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            throw GantryException.invalid("HostConfig.Binds: invalid volume specification \"" + bind + "\"");
        }
        boolean ro = false;
        boolean noCopy = false;
        String propagation = null;
        if (parts.length == 3) {
            for (String o : parts[2].split(",")) {
                switch (o) {
                    case "ro" -> ro = true;
                    case "rw", "z", "Z", "" -> { }
                    case "nocopy" -> noCopy = true;
                    default -> {
                        if (!PROPAGATIONS.contains(o)) {
                            throw GantryException.invalid("HostConfig.Binds: invalid mode \"" + o + "\" in \"" + bind + "\"");
                        }
                        propagation = o;
                    }
                }
            }
        }
        MountSpec.Type type = parts[0].startsWith("/") ? MountSpec.Type.BIND : MountSpec.Type.VOLUME;
        return new MountSpec(type, parts[0], parts[1], ro, propagation, noCopy, 0, 0);
    }

    /** The create-time list; creates the volumes it needs and reports the anonymous ones to {@code anonymous}. */
    public List<MountSpec> plan(HostConfig host, Set<String> configVolumes, List<String> anonymous) {
        List<MountSpec> requested = new ArrayList<>();
        host.binds().forEach(b -> requested.add(parseBind(b)));
        requested.addAll(host.mounts());
        Set<String> targets = new HashSet<>();
        List<MountSpec> out = new ArrayList<>();
        for (MountSpec m : requested) {
            String target = checkTarget(m.target());
            if (!targets.add(target)) {
                throw GantryException.invalid("HostConfig: duplicate mount point " + target);
            }
            out.add(switch (m.type()) {
                case BIND -> checkBind(m, host.binds().size() > out.size());
                case VOLUME -> volume(m, anonymous);
                case TMPFS -> m;
            });
        }
        for (String t : host.tmpfs().keySet()) {
            if (!targets.add(checkTarget(t))) {
                throw GantryException.invalid("HostConfig: duplicate mount point " + t);
            }
        }
        for (String v : configVolumes) {
            String target = checkTarget(v);
            if (targets.add(target)) {
                out.add(volume(new MountSpec(MountSpec.Type.VOLUME, null, target, false, null, false, 0, 0), anonymous));
            }
        }
        return out;
    }

    private static String checkTarget(String target) {
        if (target == null || !target.startsWith("/")) {
            throw GantryException.invalid("mount target \"" + target + "\": must be an absolute path");
        }
        String t = Path.of(target).normalize().toString();
        if (t.equals("/")) {
            throw GantryException.invalid("mount target \"" + target + "\": cannot mount over /");
        }
        return t;
    }

    /** Binds entries create a missing host directory (dockerd's legacy behaviour); Mounts entries must exist. */
    private static MountSpec checkBind(MountSpec m, boolean fromBinds) {
        if (m.source() == null || !m.source().startsWith("/")) {
            throw GantryException.invalid("bind source \"" + m.source() + "\": must be an absolute path");
        }
        if (m.propagation() != null && !PROPAGATIONS.contains(m.propagation())) {
            throw GantryException.invalid("bind " + m.source() + ": invalid propagation \"" + m.propagation() + "\"");
        }
        Path src = Path.of(m.source());
        if (!Files.exists(src)) {
            if (!fromBinds) {
                throw GantryException.invalid("invalid mount config for type \"bind\": bind source path does not exist: " + src);
            }
            try {
                Files.createDirectories(src);
            } catch (IOException e) {
                throw new GantryException(ErrorKind.UNAVAILABLE, "creating bind source " + src + ": " + e.getMessage(), e);
            }
        }
        return m;
    }

    private MountSpec volume(MountSpec m, List<String> anonymous) {
        boolean anon = m.source() == null || m.source().isEmpty();
        Volume v = volumes.create(anon ? null : m.source(), Map.of(), anon);
        if (anon) {
            anonymous.add(v.name());
        }
        return new MountSpec(MountSpec.Type.VOLUME, v.name(), m.target(), m.readOnly(), null, m.noCopy(), 0, 0);
    }

    /**
     * The spec mounts of a starting container whose rootfs is mounted at {@code rootfs}.
     * {@code mountedElsewhere} says whether another live container has a named volume mounted:
     * such a volume is not copied into, since that container could race the copy.
     */
    public List<ResolvedMount> resolve(List<MountSpec> mounts, Map<String, String> tmpfs, Path rootfs,
            java.util.function.Predicate<String> mountedElsewhere) {
        List<ResolvedMount> out = new ArrayList<>();
        for (MountSpec m : mounts) {
            String rw = m.readOnly() ? "ro" : "rw";
            String propagation = m.propagation() == null ? "rprivate" : m.propagation();
            switch (m.type()) {
                case BIND -> out.add(new ResolvedMount(m.target(), "bind", m.source(), List.of("rbind", propagation, rw)));
                case VOLUME -> {
                    Volume v = volumes.get(m.source());
                    if (!m.noCopy() && volumes.isEmpty(v) && !mountedElsewhere.test(v.name())) {
                        copyUp(rootfs, m.target(), Path.of(v.mountpoint()));
                    }
                    out.add(new ResolvedMount(m.target(), "bind", v.mountpoint(), List.of("rbind", "rprivate", rw)));
                }
                case TMPFS -> {
                    List<String> opts = new ArrayList<>(List.of(TMPFS_DEFAULTS.split(",")));
                    opts.add(rw);
                    if (m.tmpfsSize() > 0) {
                        opts.add("size=" + m.tmpfsSize());
                    }
                    opts.add("mode=" + Integer.toOctalString(m.tmpfsMode() == 0 ? 01777 : m.tmpfsMode()));
                    out.add(new ResolvedMount(m.target(), "tmpfs", "tmpfs", opts));
                }
            }
        }
        for (var e : tmpfs.entrySet()) {
            List<String> opts = new ArrayList<>(List.of(TMPFS_DEFAULTS.split(",")));
            for (String o : e.getValue().split(",")) {
                if (o.isEmpty()) {
                    continue;
                }
                // "exec", "suid", "dev" undo a default; the rest (size=, mode=, ro...) are tmpfs's own.
                switch (o) {
                    case "exec" -> opts.remove("noexec");
                    case "suid" -> opts.remove("nosuid");
                    case "dev" -> opts.remove("nodev");
                    default -> opts.add(o);
                }
            }
            out.add(new ResolvedMount(Path.of(e.getKey()).normalize().toString(), "tmpfs", "tmpfs", opts));
        }
        return out;
    }

    /**
     * Copies the image's content at {@code target} into the empty volume directory, keeping
     * owners, modes, links and extended attributes ({@code cp -a}). Nothing is copied when the
     * target is missing, not a directory, or reached through a symlink: content is only ever
     * taken from inside the container's rootfs.
     *
     * <p>The copy goes into a fresh directory beside the volume's, which no container can
     * reach, and then replaces the empty volume directory in one rename(2): {@code cp} follows
     * symlinks it finds in an existing destination, so it must never write into a directory a
     * container could have planted one in.
     */
    static void copyUp(Path rootfs, String target, Path volume) {
        Path src = ContainerFs.resolveParents(rootfs, target);
        if (src == null || !Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path staging = volume.resolveSibling(volume.getFileName() + ".copy-up");
        String what = "copying " + target + " into volume " + volume;
        try {
            FileTrees.delete(staging);
            Files.createDirectory(staging);
            java.lang.Process p = new ProcessBuilder("cp", "-a", "--", src + "/.", staging + "/")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new GantryException(ErrorKind.UNAVAILABLE, what + ": " + out.strip());
            }
            // rename(2) replaces an empty directory atomically. A volume another container
            // starting at the same time filled first (ENOTEMPTY) keeps that content.
            try {
                Files.move(staging, volume, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!isEmptyDir(volume)) {
                    discard(staging);
                    return;
                }
                throw e;
            }
        } catch (IOException e) {
            discard(staging);
            throw new GantryException(ErrorKind.UNAVAILABLE, what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard(staging);
            throw new GantryException(ErrorKind.UNAVAILABLE, what + ": interrupted", e);
        }
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Removes a staging copy after a failure; the failure being reported matters more than this one. */
    private static void discard(Path staging) {
        try {
            FileTrees.delete(staging);
        } catch (GantryException ignored) {
            // left for the next copy-up into this volume, which starts by deleting it
        }
    }
}
