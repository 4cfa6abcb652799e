package dev.gantry.engine.internal;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.FileTrees;
import dev.gantry.base.GantryException;
import dev.gantry.engine.Change;
import dev.gantry.snapshot.Mount;
import dev.gantry.snapshot.Mounter;
import dev.gantry.snapshot.OverlaySnapshotter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A container's root file system, three parts from bottom to top: the image's layers
 * (committed snapshots), the <em>init layer</em> (empty placeholders for /etc/hosts,
 * /etc/hostname, /etc/resolv.conf and the mount points the runtime mounts on, /proc, /sys,
 * /dev...), and the writable layer (the snapshot keyed by the container id, the overlay's
 * upper dir). The real /etc files live in {@code <dir>/etc-files} and are bind-mounted over the
 * placeholders, so that neither they nor the mount points ever reach the writable layer:
 * {@code commit} and {@code diff}, which read only the writable layer, leave them out. The
 * overlay is mounted on {@code <dir>/rootfs} while the container runs.
 *
 * <p>The init layer is the same for every container, so one copy serves them all as a read-only
 * lower dir (overlayfs never writes to a lower dir): creating a container makes three
 * directories (its own, {@code etc-files}, {@code rootfs}) besides the snapshot's, where a
 * layer per container took eight more, each about a millisecond to delete on ext4 with
 * {@code discard}. Containers of earlier versions kept theirs in {@code <dir>/init}, with the
 * same content; they now use the shared one too.
 */
public final class ContainerFs {
    private static final List<String> INIT_DIRS = List.of("proc", "sys", "dev", "dev/pts", "dev/shm", "dev/mqueue", "etc");
    public static final List<String> ETC_FILES = List.of("hosts", "hostname", "resolv.conf");
    private static final String LOCALHOST = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    private final OverlaySnapshotter snapshots;
    private final Mounter mounter;
    private final Path initLayer;

    /** Creates the shared init layer at {@code initLayer} when it is missing or incomplete (a crash). */
    public ContainerFs(OverlaySnapshotter snapshots, Mounter mounter, Path initLayer) {
        this.snapshots = snapshots;
        this.mounter = mounter;
        this.initLayer = initLayer;
        try {
            for (String d : INIT_DIRS) {
                Files.createDirectories(initLayer.resolve(d));
            }
            for (String f : ETC_FILES) {
                Path placeholder = initLayer.resolve("etc").resolve(f);
                if (!Files.isRegularFile(placeholder, LinkOption.NOFOLLOW_LINKS) || Files.size(placeholder) != 0) {
                    Files.deleteIfExists(placeholder);
                    Files.createFile(placeholder);
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "init layer " + initLayer + ": " + e.getMessage(), e);
        }
    }

    /**
     * Prepares the writable layer over {@code parentChainId} and writes the /etc files into
     * {@code dir}. The layer's metadata is synced unless the container is {@code disposable}
     * (removed when it exits), as its record is (see {@link ContainerStore}).
     */
    public void create(String id, Path dir, String parentChainId, String hostname, boolean hostNetwork, boolean disposable) {
        if (parentChainId == null) {
            throw GantryException.invalid("image: has no layers; a container needs at least one");
        }
        try {
            Files.createDirectories(dir);
            Path etc = Files.createDirectory(dir.resolve("etc-files"));
            Files.writeString(etc.resolve("hostname"), hostname + "\n");
            Files.writeString(etc.resolve("hosts"), hostNetwork ? readHost("/etc/hosts", LOCALHOST) : LOCALHOST);
            Files.writeString(etc.resolve("resolv.conf"), resolvConf(readHost("/etc/resolv.conf", ""), hostNetwork));
            for (String f : ETC_FILES) {
                Files.setPosixFilePermissions(etc.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.createDirectory(dir.resolve("rootfs"));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "writing the /etc files in " + dir + ": " + e.getMessage(), e);
        }
        snapshots.prepare(id, parentChainId);
        if (!disposable) {
            snapshots.sync(id);
        }
    }

    /** The generated /etc files of the container, by name, for the spec's bind mounts. */
    public Map<String, String> etcFiles(Path dir) {
        Path etc = dir.resolve("etc-files");
        return Map.of("hosts", etc.resolve("hosts").toString(), "hostname", etc.resolve("hostname").toString(),
                "resolv.conf", etc.resolve("resolv.conf").toString());
    }

    /**
     * The host's resolv.conf without loopback name servers (they are the host's, unreachable
     * from a network namespace of the container's own); unchanged for host networking.
     */
    static String resolvConf(String host, boolean hostNetwork) {
        if (hostNetwork) {
            return host;
        }
        StringBuilder b = new StringBuilder();
        for (String line : host.split("\n")) {
            String t = line.trim();
            if (t.startsWith("nameserver") && (t.contains(" 127.") || t.endsWith(" ::1"))) {
                continue;
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    private static String readHost(String path, String fallback) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return fallback;
        }
    }

    /** Mounts the overlay on {@code dir/rootfs} unless it is mounted already; returns the rootfs. */
    public Path mount(String id, Path dir) {
        return mount(id, dir, false);
    }

    /**
     * As {@link #mount(String, Path)}; a {@code disposable} writable layer (a container removed
     * when it exits) is mounted with overlayfs's {@code volatile} option, as podman does for
     * {@code --rm}: the overlay then never syncs its upper file system. Without it, the unmount at
     * exit syncs the whole file system the upper directory lives on, everyone's dirty data
     * included: 1–30 ms on a busy disk, on the path of every {@code docker run --rm}. The price,
     * written in overlayfs.rst, is that after a host crash the layer's content is undefined, which
     * does not matter for a layer that is deleted anyway.
     */
    public Path mount(String id, Path dir, boolean disposable) {
        Path rootfs = dir.resolve("rootfs");
        if (isMounted(rootfs)) {
            return rootfs;
        }
        List<Mount> mounts = new ArrayList<>();
        for (Mount m : snapshots.mounts(id)) {
            if (!m.type().equals("overlay")) {
                throw new GantryException(ErrorKind.INTERNAL, "container " + id + ": expected an overlay snapshot, got " + m.type());
            }
            List<String> opts = new ArrayList<>(m.options().stream()
                    .map(o -> o.startsWith("lowerdir=") ? "lowerdir=" + initLayer + ":" + o.substring(9) : o)
                    .toList());
            opts.stream().filter(o -> o.startsWith("workdir=")).findFirst()
                    .ifPresent(o -> clearVolatileMark(Path.of(o.substring("workdir=".length()))));
            if (disposable) {
                opts.add("volatile");
            }
            mounts.add(new Mount(m.type(), m.source(), opts));
        }
        mounter.mount(mounts, rootfs);
        return rootfs;
    }

    /**
     * A volatile mount leaves {@code work/incompat/volatile} in its work directory, and overlayfs
     * refuses to mount over it again (EINVAL). Only a disposable layer has it, and one is mounted
     * again only between its exit and its removal (cp, export): the mark goes.
     */
    private static void clearVolatileMark(Path workdir) {
        Path mark = workdir.resolve("work").resolve("incompat").resolve("volatile");
        if (Files.isDirectory(mark, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            dev.gantry.base.FileTrees.delete(mark);
        }
    }

    public void unmount(Path dir) {
        Path rootfs = dir.resolve("rootfs");
        while (isMounted(rootfs)) {
            mounter.unmount(rootfs);
        }
    }

    /** Bytes in the regular files of the writable layer (the overlay's upper dir). */
    public long writableSize(String id) {
        return FileTrees.size(snapshots.layerDir(id));
    }

    /** Unmounts and removes the writable layer (when it exists). The directory is the caller's. */
    public void remove(String id, Path dir) {
        unmount(dir);
        if (snapshots.exists(id)) {
            snapshots.remove(id);
        }
    }

    /**
     * Whether something is mounted on {@code path}, a path Gantry mounts on (a container's rootfs,
     * a network namespace file). Every mount Gantry makes there (an overlay, an nsfs bind) has a
     * device of its own, so two stat(2)s answer: a device other than the parent directory's is a
     * mount. A bind mount from the same file system would go unseen; Gantry makes none there.
     * Reading /proc/self/mountinfo, which answers that too, costs 50–150 µs and grows with the
     * host's mounts; it decides only when the path cannot be stat'ed (a broken overlay).
     */
    public static boolean isMounted(Path path) {
        Path abs = path.toAbsolutePath();
        if (abs.getParent() == null) {
            return true;
        }
        try {
            Object dev = Files.getAttribute(abs, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            return !dev.equals(Files.getAttribute(abs.getParent(), "unix:dev", LinkOption.NOFOLLOW_LINKS));
        } catch (java.nio.file.NoSuchFileException absent) {
            return false;
        } catch (IOException e) {
            return inMountinfo(abs);
        }
    }

    private static boolean inMountinfo(Path abs) {
        String p = abs.toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].replace("\\040", " ").equals(p)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "/proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a file of the mounted rootfs as the container would see it: symlinks are resolved
     * inside the rootfs (a link to /etc/passwd on the host stays in the container). Empty when
     * the file does not exist or escapes.
     */
    public static String readInContainer(Path rootfs, String path) {
        for (int hops = 0; hops < 40; hops++) {
            Path candidate = resolveParents(rootfs, path);
            if (candidate == null || !Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return "";
            }
            if (Files.isSymbolicLink(candidate)) {
                try {
                    String target = Files.readSymbolicLink(candidate).toString();
                    path = target.startsWith("/") ? target
                            : Path.of(path).getParent().resolve(target).normalize().toString();
                    continue;
                } catch (IOException e) {
                    return "";
                }
            }
            return readRegular(candidate);
        }
        return "";
    }

    /** Files larger than this are not account databases; reading them would only fill the heap. */
    private static final int MAX_ACCOUNT_FILE = 1 << 20;

    /**
     * The content of a regular file of the container, or "" for anything else: a container
     * can make its /etc/passwd a fifo (which would block this thread) or a device node such
     * as /dev/zero or a host disk (which the engine, outside the device cgroup, could read).
     */
    private static String readRegular(Path file) {
        try {
            var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile() || attrs.size() > MAX_ACCOUNT_FILE) {
                return "";
            }
            try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                return new String(in.readNBytes(MAX_ACCOUNT_FILE), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    /** rootfs + path with every parent directory checked not to be a symlink; null when one is. */
    static Path resolveParents(Path rootfs, String path) {
        Path p = rootfs;
        Path rel = Path.of("/").relativize(Path.of(path).normalize());
        for (int i = 0; i < rel.getNameCount(); i++) {
            String part = rel.getName(i).toString();
            if (part.equals("..")) {
                return null;
            }
            p = p.resolve(part);
            if (i < rel.getNameCount() - 1 && Files.isSymbolicLink(p)) {
                return null;
            }
        }
        return p;
    }

    /**
     * The writable layer's changes against the image: a whiteout (character device 0/0) is a
     * deletion; an entry that exists in an image layer is a change; anything else an addition.
     * Sorted by path.
     */
    public List<Change> changes(String id) {
        Path upper = snapshots.layerDir(id);
        List<Path> lowers = new ArrayList<>();
        for (String p = snapshots.stat(id).parent(); p != null; p = snapshots.stat(p).parent()) {
            lowers.add(snapshots.layerDir(p));
        }
        List<Change> out = new ArrayList<>();
        try {
            Files.walkFileTree(upper, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                    if (!d.equals(upper)) {
                        out.add(classify(upper, lowers, d));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    if (a.isOther() && isWhiteout(f)) {
                        out.add(new Change(Change.Kind.D, "/" + upper.relativize(f)));
                    } else {
                        out.add(classify(upper, lowers, f));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "diff of container " + id + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Change::path));
        return out;
    }

    private static Change classify(Path upper, List<Path> lowers, Path p) {
        Path rel = upper.relativize(p);
        boolean inImage = lowers.stream().anyMatch(l -> Files.exists(l.resolve(rel.toString()), LinkOption.NOFOLLOW_LINKS));
        return new Change(inImage ? Change.Kind.C : Change.Kind.A, "/" + rel);
    }

    private static boolean isWhiteout(Path f) throws IOException {
        Map<String, Object> a = Files.readAttributes(f, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        return ((Integer) a.get("mode") & 0170000) == 0020000 && (Long) a.get("rdev") == 0;
    }
}
