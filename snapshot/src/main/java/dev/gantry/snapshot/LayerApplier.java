package dev.gantry.snapshot;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.sys.DeviceNumbers;
import dev.gantry.sys.Errno;
import dev.gantry.sys.FileStat;
import dev.gantry.sys.SysException;
import dev.gantry.sys.Syscalls;
import dev.gantry.snapshot.tar.TarReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies one uncompressed layer tar to a directory (an overlay upper dir), writing whiteouts
 * in overlayfs form: {@code .wh.<name>} becomes a 0/0 character device named {@code <name>},
 * {@code .wh..wh..opq} sets {@code trusted.overlay.opaque=y} on its directory.
 *
 * <p>Safety: every member path is cleaned lexically ({@code ..} and absolute paths are refused)
 * and its parent is opened with openat2(2) RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS relative to
 * the root fd, so no member can reach outside the root, neither through {@code ../} nor through
 * a symlink it or an earlier member planted (CVE-2019-14271, CVE-2018-15664 class). Files are
 * created with O_EXCL | O_NOFOLLOW after the old name is removed, and hardlink targets resolve
 * the same way. The refusal is an INVALID_ARGUMENT naming the member; the caller discards the
 * snapshot, so a refused layer leaves nothing behind.
 */
public final class LayerApplier {
    private static final long RESOLVE = Syscalls.RESOLVE_BENEATH | Syscalls.RESOLVE_NO_SYMLINKS
            | Syscalls.RESOLVE_NO_MAGICLINKS | Syscalls.RESOLVE_NO_XDEV;
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int BUF = 1 << 20;
    private static final int EXDEV = 18;
    private static final int ELOOP = 40;
    private final Syscalls fs;

    public LayerApplier(Syscalls fs) {
        this.fs = fs;
    }

    /** What an application did: members applied and bytes of file content written. */
    public record Result(long members, long contentBytes) {
    }

    /** Applies the tar read from {@code tar} to {@code root}, which must be an existing directory. */
    public Result apply(InputStream tar, Path root) throws IOException {
        int rootFd = fs.openat(Syscalls.AT_FDCWD, root.toString(), Syscalls.O_PATH | Syscalls.O_DIRECTORY, 0);
        try {
            return new Run(rootFd).run(new TarReader(tar));
        } finally {
            fs.close(rootFd);
        }
    }

    /** One application: the root fd, a copy buffer, a one-entry parent fd cache. */
    private final class Run {
        private final int rootFd;
        private final byte[] heapBuffer = new byte[BUF];
        private final List<TarEntry> directories = new ArrayList<>();
        private String cachedParent;
        private int cachedFd = -1;
        private long members;
        private long bytes;

        Run(int rootFd) {
            this.rootFd = rootFd;
        }

        Result run(TarReader reader) throws IOException {
            try {
                TarEntry e;
                while ((e = reader.next()) != null) {
                    members++;
                    applyEntry(e, reader);
                }
                // Directory times last, deepest first: creating children changed them.
                for (int i = directories.size() - 1; i >= 0; i--) {
                    TarEntry d = directories.get(i);
                    String[] pb = split(d.name());
                    int pfd;
                    try {
                        pfd = parent(d.name(), pb[0], false);
                    } catch (GantryException goneOrReplaced) {
                        // A later member removed or replaced it; nothing to stamp.
                        continue;
                    }
                    if (pb[1].isEmpty() || lstat(pfd, pb[1]) != null) {
                        setTimes(pfd, pb[1], d);
                    }
                }
                return new Result(members, bytes);
            } finally {
                dropCache();
            }
        }

        private void applyEntry(TarEntry e, TarReader reader) throws IOException {
            String rel = clean(e.name(), e.name());
            String[] pb = split(rel);
            String parent = pb[0];
            String base = pb[1];
            if (base.equals(OPAQUE)) {
                int pfd = parent(e.name(), parent, true);
                fs.lsetxattr(procPath(pfd, "."), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (base.startsWith(WHITEOUT + WHITEOUT)) {
                // Other .wh..wh. names are aufs bookkeeping (hardlink dirs); they carry no file.
                return;
            }
            if (base.startsWith(WHITEOUT)) {
                String hidden = base.substring(WHITEOUT.length());
                if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..") || hidden.contains("/")) {
                    throw refused(e, "malformed whiteout");
                }
                int pfd = parent(e.name(), parent, true);
                removeExisting(pfd, hidden, false);
                fs.mknodat(pfd, hidden, Syscalls.S_IFCHR, 0);
                return;
            }
            if (rel.isEmpty()) {
                if (!e.isDirectory()) {
                    throw refused(e, "the root can only be a directory");
                }
                metadata(rootFd, ".", e);
                directories.add(rename(e, ""));
                return;
            }
            int pfd = parent(e.name(), parent, true);
            boolean keepDir = removeExisting(pfd, base, e.isDirectory());
            switch (e.type()) {
                case DIRECTORY -> {
                    if (!keepDir) {
                        fs.mkdirat(pfd, base, 0700);
                    }
                    metadata(pfd, base, e);
                    directories.add(rename(e, rel));
                }
                case REGULAR -> regular(pfd, base, e, reader.content());
                case SYMLINK -> {
                    fs.symlinkat(e.linkName(), pfd, base);
                    fs.fchownat(pfd, base, e.uid(), e.gid(), Syscalls.AT_SYMLINK_NOFOLLOW);
                    xattrs(pfd, base, e, true);
                    setTimes(pfd, base, e);
                }
                case HARDLINK -> {
                    String target = clean(e.linkName(), e.name());
                    if (target.isEmpty()) {
                        throw refused(e, "hardlink to the root");
                    }
                    String[] tb = split(target);
                    // The target's parent is opened separately: the cache holds only pfd.
                    int tfd = openParent(e.name(), tb[0], false);
                    try {
                        fs.linkat(tfd, tb[1], pfd, base);
                    } catch (SysException ex) {
                        throw refused(e, "hardlink target " + e.linkName() + ": " + ex.getMessage());
                    } finally {
                        if (tfd != rootFd) {
                            fs.close(tfd);
                        }
                    }
                }
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> {
                    int type = switch (e.type()) {
                        case CHAR_DEVICE -> Syscalls.S_IFCHR;
                        case BLOCK_DEVICE -> Syscalls.S_IFBLK;
                        default -> Syscalls.S_IFIFO;
                    };
                    fs.mknodat(pfd, base, type | 0600, DeviceNumbers.makedev(e.devMajor(), e.devMinor()));
                    metadata(pfd, base, e);
                    setTimes(pfd, base, e);
                }
            }
        }

        private void regular(int pfd, String base, TarEntry e, InputStream content) throws IOException {
            int fd = fs.openat(pfd, base, Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_EXCL | Syscalls.O_NOFOLLOW, 0600);
            try {
                long left = e.size();
                while (left > 0) {
                    int n = content.read(heapBuffer, 0, (int) Math.min(heapBuffer.length, left));
                    if (n < 0) {
                        throw new java.io.EOFException("tar: " + e.name() + " truncated");
                    }
                    fs.write(fd, heapBuffer, 0, n);
                    left -= n;
                    bytes += n;
                }
                // chown(2) clears set-user-ID/set-group-ID bits and file capabilities
                // (capabilities(7), "File capability extended attribute"), hence the order:
                // owner, then mode, then xattrs.
                fs.fchown(fd, e.uid(), e.gid());
                fs.fchmod(fd, e.mode());
                for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                    if (allowedXattr(x.getKey())) {
                        fs.fsetxattr(fd, x.getKey(), x.getValue());
                    }
                }
            } finally {
                fs.close(fd);
            }
            setTimes(pfd, base, e);
        }

        private void metadata(int pfd, String base, TarEntry e) {
            fs.fchownat(pfd, base, e.uid(), e.gid(), Syscalls.AT_SYMLINK_NOFOLLOW);
            fs.fchmodat(pfd, base, e.mode());
            xattrs(pfd, base, e, false);
        }

        private void xattrs(int pfd, String base, TarEntry e, boolean symlink) {
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                if (!allowedXattr(x.getKey()) || (symlink && x.getKey().startsWith("user."))) {
                    // user.* xattrs are not permitted on symlinks (xattr(7)).
                    continue;
                }
                fs.lsetxattr(procPath(pfd, base), x.getKey(), x.getValue());
            }
        }

        private void setTimes(int pfd, String base, TarEntry e) {
            fs.utimensat(pfd, base.isEmpty() ? "." : base, e.mtimeSeconds(), e.mtimeNanos(),
                    Syscalls.AT_SYMLINK_NOFOLLOW);
        }

        /**
         * Removes {@code name} in {@code pfd} unless both it and the new member are directories
         * (a directory member then only updates metadata). Returns whether a directory was kept.
         */
        private boolean removeExisting(int pfd, String name, boolean newIsDir) throws IOException {
            FileStat st = lstat(pfd, name);
            if (st == null) {
                return false;
            }
            if (st.isDirectory()) {
                if (newIsDir) {
                    return true;
                }
                // The cache holds pfd itself, the parent of what is removed, so it stays valid.
                removeTree(Path.of(procPath(pfd, name)));
                return false;
            }
            fs.unlinkat(pfd, name, 0);
            return false;
        }

        /** fstatat(2) not following a final symlink; null when {@code name} does not exist. */
        private FileStat lstat(int dirfd, String name) {
            try {
                return fs.fstatat(dirfd, name, Syscalls.AT_SYMLINK_NOFOLLOW);
            } catch (SysException e) {
                if (e.errno() == Errno.ENOENT) {
                    return null;
                }
                throw e;
            }
        }

        /** Walks through /proc/self/fd, which pins the already-resolved parent; never follows links. */
        private static void removeTree(Path dir) throws IOException {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }

        private int parent(String member, String parent, boolean create) {
            if (parent.equals(cachedParent)) {
                return cachedFd;
            }
            int fd = openParent(member, parent, create);
            dropCache();
            cachedParent = parent;
            cachedFd = fd;
            return fd;
        }

        private void dropCache() {
            if (cachedFd >= 0 && cachedFd != rootFd) {
                fs.close(cachedFd);
            }
            cachedFd = -1;
            cachedParent = null;
        }

        /** Opens {@code parent} beneath the root, creating missing directories when asked. */
        private int openParent(String member, String parent, boolean create) {
            if (parent.isEmpty()) {
                return rootFd;
            }
            try {
                return fs.openat2(rootFd, parent, Syscalls.O_PATH | Syscalls.O_DIRECTORY, RESOLVE);
            } catch (SysException e) {
                if (e.errno() != Errno.ENOENT || !create) {
                    throw resolveRefusal(member, parent, e);
                }
            }
            // Tars may omit directory members; create the missing ones one component at a
            // time, each looked up beneath an already safely opened parent.
            String prefix = "";
            for (String comp : parent.split("/")) {
                int up = openParent(member, prefix, false);
                try {
                    if (lstat(up, comp) == null) {
                        fs.mkdirat(up, comp, 0755);
                    }
                } finally {
                    if (up != rootFd) {
                        fs.close(up);
                    }
                }
                prefix = prefix.isEmpty() ? comp : prefix + "/" + comp;
            }
            try {
                return fs.openat2(rootFd, parent, Syscalls.O_PATH | Syscalls.O_DIRECTORY, RESOLVE);
            } catch (SysException e) {
                throw resolveRefusal(member, parent, e);
            }
        }
    }

    /** Keeps a layer from forging overlayfs's own metadata (redirects, opaque markers, origins). */
    private static boolean allowedXattr(String name) {
        return !name.startsWith("trusted.overlay.");
    }

    private static GantryException resolveRefusal(String member, String parent, SysException e) {
        String why = switch (e.errno()) {
            case ELOOP -> "a parent directory is a symlink";
            case EXDEV -> "the path escapes the layer root";
            case Errno.ENOTDIR -> "a parent is not a directory";
            case Errno.ENOENT -> "a parent directory does not exist";
            default -> e.getMessage();
        };
        return new GantryException(ErrorKind.INVALID_ARGUMENT, "layer member '" + member + "' refused: " + why + " (" + parent + ")");
    }

    private static GantryException refused(TarEntry e, String why) {
        return new GantryException(ErrorKind.INVALID_ARGUMENT, "layer member '" + e.name() + "' refused: " + why);
    }

    private static String procPath(int fd, String name) {
        // "/." makes the kernel follow the magic link itself, so the directory (not the proc
        // link) is what an l*xattr call sees.
        return "/proc/self/fd/" + fd + "/" + name;
    }

    /**
     * The member path relative to the root: "./" prefixes and empty or "." components dropped;
     * absolute paths, ".." components and NUL bytes refused.
     */
    static String clean(String path, String member) {
        if (path.startsWith("/")) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, "layer member '" + member + "' refused: absolute path " + path);
        }
        if (path.indexOf('\0') >= 0) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, "layer member '" + member + "' refused: NUL in path");
        }
        StringBuilder out = new StringBuilder();
        for (String comp : path.split("/")) {
            if (comp.isEmpty() || comp.equals(".")) {
                continue;
            }
            if (comp.equals("..")) {
                throw new GantryException(ErrorKind.INVALID_ARGUMENT, "layer member '" + member + "' refused: '..' in path " + path);
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(comp);
        }
        return out.toString();
    }

    /** {parent, base} of a cleaned path. */
    private static String[] split(String rel) {
        String c = clean(rel, rel);
        int slash = c.lastIndexOf('/');
        return slash < 0 ? new String[] {"", c} : new String[] {c.substring(0, slash), c.substring(slash + 1)};
    }

    private static TarEntry rename(TarEntry e, String name) {
        return new TarEntry(name, e.type(), e.mode(), e.uid(), e.gid(), e.uname(), e.gname(), e.size(),
                e.mtimeSeconds(), e.mtimeNanos(), e.linkName(), e.devMajor(), e.devMinor(), e.xattrs());
    }
}
