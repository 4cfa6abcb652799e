package dev.gantry.engine.internal;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.PathInfo;
import dev.gantry.snapshot.LayerApplier;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarReader;
import dev.gantry.snapshot.tar.TarWriter;
import dev.gantry.sys.DeviceNumbers;
import dev.gantry.sys.Errno;
import dev.gantry.sys.FileStat;
import dev.gantry.sys.SysException;
import dev.gantry.sys.Syscalls;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code docker cp} and {@code docker export} on a mounted container rootfs.
 *
 * <p>Safety against a container that plants or swaps symlinks (CVE-2018-15664, CVE-2019-14271):
 * the rootfs is opened once as a directory fd and a container path is resolved from it by
 * openat2(2) with RESOLVE_IN_ROOT, so the kernel treats that fd as "/" for every absolute
 * symlink and every "..", at the moment of the lookup. The final component of a path is never
 * followed (a symlink is reported and archived as a link), unless the path ends in "/" or "/.".
 * From then on only single names are looked up relative to directory fds, always without
 * following a symlink (O_NOFOLLOW, lstat); what NIO reads (attributes, link targets, directory
 * listings, file content) it reads through {@code /proc/self/fd/<fd>}, which the kernel
 * resolves to the very inode the fd holds, not by walking a path again. A regular file is first
 * opened O_PATH and checked to be one before it is opened for reading, so a name swapped for a
 * fifo or a device node between listing and reading is skipped, never read. Extraction goes
 * through the snapshot module's {@link LayerApplier}, which opens every parent with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS.
 */
public final class ContainerArchive {
    /** openat2(2) RESOLVE_IN_ROOT: absolute symlinks and ".." are scoped to dirfd, as under chroot(2). */
    private static final long RESOLVE_IN_ROOT = 0x10;
    private static final long IN_ROOT = RESOLVE_IN_ROOT | Syscalls.RESOLVE_NO_MAGICLINKS | Syscalls.RESOLVE_NO_XDEV;
    private static final long BENEATH = Syscalls.RESOLVE_BENEATH | Syscalls.RESOLVE_NO_SYMLINKS
            | Syscalls.RESOLVE_NO_MAGICLINKS | Syscalls.RESOLVE_NO_XDEV;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int ELOOP = 40;
    private static final int EXDEV = 18;
    private static final String ATTRS = "unix:mode,uid,gid,size,lastModifiedTime,rdev";
    private static final List<String> ETC_FILES = ContainerFs.ETC_FILES.stream().map(f -> "/etc/" + f).toList();

    private final Syscalls sys;

    public ContainerArchive(Syscalls sys) {
        this.sys = sys;
    }

    /**
     * lstat of {@code path} in the container. {@code etcFiles} is null below a volume or bind
     * (whose {@code /etc/hosts} is the mount's own); {@code name} names the result (null: the
     * path's last component).
     */
    public PathInfo stat(Path rootfs, Path etcFiles, String path, String name) throws IOException {
        ContainerPath c = ContainerPath.of(path);
        try (Located l = locate(rootfs, etcFiles, c, path)) {
            Map<String, Object> a = attributes(l.path(), path);
            int mode = (Integer) a.get("mode");
            String link = "";
            if ((mode & Syscalls.S_IFMT) == Syscalls.S_IFLNK) {
                String target = Files.readSymbolicLink(l.path()).toString();
                link = ContainerPath.of(target.startsWith("/") ? target : c.parent() + "/" + target).clean();
            }
            return new PathInfo(name != null ? name : c.name(), (Long) a.get("size"), mode, ((FileTime) a.get("lastModifiedTime")).toInstant(), link);
        }
    }

    /**
     * Writes {@code path} as a tar: its own member is named after its last component (".")
     * for a path ending in "/."), a directory's members below it.
     */
    public void get(Path rootfs, Path etcFiles, String path, String name, OutputStream out) throws IOException {
        ContainerPath c = ContainerPath.of(path);
        String member = name != null ? name : c.name();
        try (Located l = locate(rootfs, etcFiles, c, path)) {
            attributes(l.path(), path);
            TarWriter w = new TarWriter(out);
            emit(w, l.dirFd(), l.name(), member.equals("/") ? "." : member);
            w.finish();
        }
    }

    /** Writes the whole rootfs as a tar, member names relative to it ({@code bin/busybox}). */
    public void export(Path rootfs, OutputStream out) throws IOException {
        int rootFd = openRoot(rootfs);
        try {
            TarWriter w = new TarWriter(out);
            emit(w, rootFd, ".", "");
            w.finish();
        } finally {
            sys.close(rootFd);
        }
    }

    /**
     * Extracts {@code tar} into the existing directory {@code path} (symlinks on the way are
     * resolved inside the container). Members named {@code ..}-wise or absolutely, or reaching
     * through a symlink, are refused by {@link LayerApplier}; overlay whiteout names
     * ({@code .wh.*}) are refused here. Owners are the archive's when {@code keepOwners},
     * otherwise the container's root. {@code noOverwriteDirNonDir} refuses a member that would
     * replace an existing directory by a non-directory or the reverse; it is checked against
     * what existed before the extraction.
     */
    public void put(Path rootfs, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean keepOwners) throws IOException {
        ContainerPath c = ContainerPath.of(path);
        int rootFd = openRoot(rootfs);
        int dirFd;
        try {
            dirFd = openIn(rootFd, c.relative(), Syscalls.O_PATH | Syscalls.O_DIRECTORY, path);
        } finally {
            sys.close(rootFd);
        }
        AtomicReference<Throwable> filterFailure = new AtomicReference<>();
        PipedInputStream pin = new PipedInputStream(1 << 16);
        PipedOutputStream pout = new PipedOutputStream(pin);
        // The applier reads the filtered tar while a second thread filters: nothing is spooled.
        Thread filter = Thread.ofPlatform().daemon().name("gantry-cp-filter").start(() -> {
            try (pout) {
                filter(new TarReader(tar), new TarWriter(pout), dirFd, noOverwriteDirNonDir, keepOwners);
            } catch (Throwable t) {
                filterFailure.set(t);
            }
        });
        try {
            new LayerApplier(sys).apply(pin, Path.of("/proc/self/fd/" + dirFd));
        } catch (IOException | GantryException e) {
            rethrow(filterFailure, filter, pin);
            throw e;
        } finally {
            pin.close();
            join(filter);
            sys.close(dirFd);
        }
        rethrow(filterFailure, filter, pin);
    }

    private static void rethrow(AtomicReference<Throwable> failure, Thread filter, PipedInputStream pin) throws IOException {
        pin.close();
        join(filter);
        Throwable t = failure.get();
        if (t instanceof GantryException g) {
            throw g;
        }
        if (t instanceof IOException io && !"Pipe closed".equals(io.getMessage())) {
            throw io;
        }
        if (t instanceof RuntimeException || t instanceof Error) {
            throw new GantryException(ErrorKind.INTERNAL, "docker cp filter: " + t, t);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void filter(TarReader r, TarWriter w, int dirFd, boolean noOverwrite, boolean keepOwners) throws IOException {
        byte[] buf = new byte[1 << 16];
        TarEntry e;
        while ((e = r.next()) != null) {
            for (String part : e.name().split("/")) {
                if (part.startsWith(".wh.")) {
                    throw GantryException.invalid("archive member " + e.name() + ": .wh. names are overlay whiteouts and are refused");
                }
            }
            if (noOverwrite) {
                checkNoOverwrite(dirFd, e);
            }
            TarEntry out = keepOwners ? e : new TarEntry(e.name(), e.type(), e.mode(), 0, 0, "", "", e.size(),
                    e.mtimeSeconds(), e.mtimeNanos(), e.linkName(), e.devMajor(), e.devMinor(), e.xattrs());
            w.putEntry(out);
            if (e.type() == TarEntry.Type.REGULAR) {
                InputStream in = r.content();
                int n;
                while ((n = in.read(buf)) > 0) {
                    w.write(buf, 0, n);
                }
            }
        }
        w.finish();
    }

    private void checkNoOverwrite(int dirFd, TarEntry e) {
        ContainerPath m = ContainerPath.of(e.name());
        if (m.clean().equals("/") || e.name().startsWith("/") || List.of(e.name().split("/")).contains("..")) {
            return; // the root member, or one the applier refuses
        }
        int pfd;
        try {
            pfd = sys.openat2(dirFd, m.parent().equals("/") ? "." : m.parent().substring(1), Syscalls.O_PATH | Syscalls.O_DIRECTORY, BENEATH);
        } catch (SysException notThere) {
            return;
        }
        try {
            FileStat st = sys.fstatat(pfd, m.name(), Syscalls.AT_SYMLINK_NOFOLLOW);
            if (st.isDirectory() != e.isDirectory()) {
                throw GantryException.invalid("archive member " + e.name() + ": would replace "
                        + (st.isDirectory() ? "a directory with a non-directory" : "a non-directory with a directory"));
            }
        } catch (SysException notThere) {
            // nothing to overwrite
        } finally {
            sys.close(pfd);
        }
    }

    /**
     * Creates directory {@code path} and its missing parents in the container, root-owned with
     * mode 0755, as dockerd does for a WorkingDir the image lacks. Each step is resolved inside
     * the rootfs (RESOLVE_IN_ROOT), so a symlink the image planted cannot point it at the host.
     */
    public void mkdirs(Path rootfs, String path) {
        ContainerPath target = ContainerPath.of(path);
        int rootFd = openRoot(rootfs);
        try {
            StringBuilder parent = new StringBuilder();
            for (String name : target.relative().split("/")) {
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                int dirFd = openIn(rootFd, parent.isEmpty() ? "." : parent.toString(), Syscalls.O_PATH | Syscalls.O_DIRECTORY, path);
                try {
                    sys.mkdirat(dirFd, name, 0755);
                } catch (SysException e) {
                    if (e.errno() != Errno.EEXIST) {
                        throw GantryException.invalid("working directory " + path + ": cannot create " + name + ": " + e.getMessage());
                    }
                } finally {
                    sys.close(dirFd);
                }
                if (!parent.isEmpty()) {
                    parent.append('/');
                }
                parent.append(name);
            }
            // What is there now must be a directory (an existing file of that name is not).
            sys.close(openIn(rootFd, target.relative(), Syscalls.O_PATH | Syscalls.O_DIRECTORY, path));
        } finally {
            sys.close(rootFd);
        }
    }

    // ---------------------------------------------------------------- resolution

    /** A path located for reading: its directory fd and its name there ("." for that directory itself). */
    private record Located(Syscalls sys, int dirFd, String name) implements AutoCloseable {
        Path path() {
            return Path.of("/proc/self/fd/" + dirFd, name);
        }

        @Override
        public void close() {
            sys.close(dirFd);
        }
    }

    private Located locate(Path rootfs, Path etcFiles, ContainerPath c, String path) {
        if (etcFiles != null && !c.follow() && ETC_FILES.contains(c.clean())) {
            // The engine's /etc files are bind-mounted over empty placeholders in the container only.
            return new Located(sys, sys.openat(Syscalls.AT_FDCWD, etcFiles.toString(),
                    Syscalls.O_PATH | Syscalls.O_DIRECTORY | Syscalls.O_NOFOLLOW, 0), c.name());
        }
        int rootFd = openRoot(rootfs);
        try {
            if (c.follow() || c.clean().equals("/")) {
                return new Located(sys, openIn(rootFd, c.relative(), Syscalls.O_PATH | Syscalls.O_DIRECTORY, path), ".");
            }
            String parent = ContainerPath.of(c.parent()).relative();
            return new Located(sys, openIn(rootFd, parent, Syscalls.O_PATH | Syscalls.O_DIRECTORY, path), c.name());
        } finally {
            sys.close(rootFd);
        }
    }

    private int openRoot(Path rootfs) {
        return sys.openat(Syscalls.AT_FDCWD, rootfs.toString(), Syscalls.O_PATH | Syscalls.O_DIRECTORY | Syscalls.O_NOFOLLOW, 0);
    }

    private int openIn(int rootFd, String relative, int flags, String path) {
        try {
            return sys.openat2(rootFd, relative, flags, IN_ROOT);
        } catch (SysException e) {
            throw switch (e.errno()) {
                case Errno.ENOENT -> GantryException.notFound("Could not find the file " + path + " in container");
                case Errno.ENOTDIR -> GantryException.invalid("path " + path + ": not a directory");
                case ELOOP -> GantryException.invalid("path " + path + ": too many levels of symbolic links");
                case EXDEV -> GantryException.invalid("path " + path + ": crosses a mount point");
                default -> e;
            };
        }
    }

    private static Map<String, Object> attributes(Path p, String path) throws IOException {
        try {
            return Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw GantryException.notFound("Could not find the file " + path + " in container");
        }
    }

    // ---------------------------------------------------------------- archiving

    private void emit(TarWriter w, int dirFd, String name, String entryName) throws IOException {
        Path p = Path.of("/proc/self/fd/" + dirFd, name);
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException removedMeanwhile) {
            return;
        }
        int mode = (Integer) a.get("mode");
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        switch (mode & Syscalls.S_IFMT) {
            case Syscalls.S_IFDIR -> directory(w, dirFd, name, entryName, mode, uid, gid, mtime);
            case Syscalls.S_IFREG -> regular(w, dirFd, name, entryName);
            case Syscalls.S_IFLNK -> w.putEntry(entry(entryName, TarEntry.Type.SYMLINK, mode, uid, gid, 0, mtime,
                    Files.readSymbolicLink(p).toString(), 0));
            case Syscalls.S_IFCHR -> w.putEntry(entry(entryName, TarEntry.Type.CHAR_DEVICE, mode, uid, gid, 0, mtime, "", (Long) a.get("rdev")));
            case Syscalls.S_IFBLK -> w.putEntry(entry(entryName, TarEntry.Type.BLOCK_DEVICE, mode, uid, gid, 0, mtime, "", (Long) a.get("rdev")));
            case Syscalls.S_IFIFO -> w.putEntry(entry(entryName, TarEntry.Type.FIFO, mode, uid, gid, 0, mtime, "", 0));
            default -> {
                // sockets have no tar form
            }
        }
    }

    private void directory(TarWriter w, int dirFd, String name, String entryName, int mode, int uid, int gid, Instant mtime)
            throws IOException {
        if (!entryName.isEmpty()) {
            w.putEntry(entry(entryName, TarEntry.Type.DIRECTORY, mode, uid, gid, 0, mtime, "", 0));
        }
        int fd;
        try {
            fd = sys.openat(dirFd, name, Syscalls.O_RDONLY | Syscalls.O_DIRECTORY | Syscalls.O_NOFOLLOW, 0);
        } catch (SysException replacedMeanwhile) {
            return;
        }
        try {
            List<String> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd/" + fd))) {
                ds.forEach(c -> children.add(c.getFileName().toString()));
            }
            children.sort(null);
            for (String child : children) {
                emit(w, fd, child, entryName.isEmpty() ? child : entryName + "/" + child);
            }
        } finally {
            sys.close(fd);
        }
    }

    private void regular(TarWriter w, int dirFd, String name, String entryName) throws IOException {
        int pathFd;
        try {
            pathFd = sys.openat(dirFd, name, Syscalls.O_PATH | Syscalls.O_NOFOLLOW, 0);
        } catch (SysException removedMeanwhile) {
            return;
        }
        try {
            FileStat st = sys.fstatat(pathFd, "", AT_EMPTY_PATH);
            if (st.type() != Syscalls.S_IFREG) {
                return; // swapped for something else since the listing: not what was listed
            }
            Map<String, Object> a = Files.readAttributes(Path.of("/proc/self/fd/" + pathFd), "unix:lastModifiedTime");
            w.putEntry(entry(entryName, TarEntry.Type.REGULAR, st.mode(), st.uid(), st.gid(), st.size(),
                    ((FileTime) a.get("lastModifiedTime")).toInstant(), "", 0));
            // Reopening through /proc/self/fd opens exactly the inode checked above.
            try (InputStream in = new FileInputStream("/proc/self/fd/" + pathFd)) {
                byte[] buf = new byte[1 << 16];
                long left = st.size();
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        break;
                    }
                    w.write(buf, 0, n);
                    left -= n;
                }
                // A file truncated while it was read: its header promised st.size() bytes.
                while (left > 0) {
                    int n = (int) Math.min(buf.length, left);
                    Arrays.fill(buf, 0, n, (byte) 0);
                    w.write(buf, 0, n);
                    left -= n;
                }
            }
        } finally {
            sys.close(pathFd);
        }
    }

    private static TarEntry entry(String name, TarEntry.Type type, int mode, int uid, int gid, long size, Instant mtime,
            String link, long rdev) {
        return new TarEntry(name, type, mode & 07777, uid, gid, "", "", size, mtime.getEpochSecond(), mtime.getNano(), link,
                (int) DeviceNumbers.major(rdev), (int) DeviceNumbers.minor(rdev), Map.of());
    }
}
