package dev.gantry.snapshot;

import dev.gantry.base.FileTrees;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarReader;
import dev.gantry.sys.DeviceNumbers;
import dev.gantry.sys.Errno;
import dev.gantry.sys.FileStat;
import dev.gantry.sys.SysException;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * the root fd ({@link ParentDirs}), so no member can reach outside the root, neither through
 * {@code ../} nor through a symlink it or an earlier member planted (CVE-2019-14271,
 * CVE-2018-15664 class). Members are created with O_EXCL / O_NOFOLLOW semantics; a name that
 * exists already is removed first and the creation retried, and hardlink targets resolve the
 * same way. The refusal is an INVALID_ARGUMENT naming the member; the caller discards the
 * snapshot, so a refused layer leaves nothing behind.
 *
 * <p>Cost: a regular file is openat, write, fchown, fchmod, futimens, close, with its parent
 * fd usually cached; nothing is looked up before creating it.
 */
public final class LayerApplier {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int BUF = 1 << 20;
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
        try (Arena arena = Arena.ofConfined(); ParentDirs dirs = new ParentDirs(fs, rootFd)) {
            return new Run(rootFd, dirs, arena.allocate(BUF)).run(new TarReader(tar));
        } finally {
            fs.close(rootFd);
        }
    }

    /** One application: the root fd, its directory fds, copy buffers, counters. */
    private final class Run {
        private final int rootFd;
        private final ParentDirs dirs;
        private final MemorySegment buffer;
        private final byte[] heapBuffer = new byte[BUF];
        private final List<TarEntry> directories = new ArrayList<>();
        private long members;
        private long bytes;

        Run(int rootFd, ParentDirs dirs, MemorySegment buffer) {
            this.rootFd = rootFd;
            this.dirs = dirs;
            this.buffer = buffer;
        }

        Result run(TarReader reader) throws IOException {
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
                    pfd = dirs.open(d.name(), pb[0], false);
                } catch (GantryException goneOrReplaced) {
                    // A later member removed or replaced it; nothing to stamp.
                    continue;
                }
                if (pb[1].isEmpty() || dirs.lstat(pfd, pb[1]) != null) {
                    setTimes(pfd, pb[1], d);
                }
            }
            return new Result(members, bytes);
        }

        private void applyEntry(TarEntry e, TarReader reader) throws IOException {
            String rel = clean(e.name(), e.name());
            String[] pb = split(rel);
            String parent = pb[0];
            String base = pb[1];
            if (base.equals(OPAQUE)) {
                int pfd = dirs.open(e.name(), parent, true);
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
                int pfd = dirs.open(e.name(), parent, true);
                replacing(pfd, parent, hidden, () -> fs.mknodat(pfd, hidden, Syscalls.S_IFCHR, 0));
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
            int pfd = dirs.open(e.name(), parent, true);
            switch (e.type()) {
                case DIRECTORY -> {
                    directory(pfd, parent, base);
                    metadata(pfd, base, e);
                    directories.add(rename(e, rel));
                }
                case REGULAR -> regular(pfd, parent, base, e, reader.content());
                case SYMLINK -> {
                    replacing(pfd, parent, base, () -> fs.symlinkat(e.linkName(), pfd, base));
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
                    replacing(pfd, parent, base, () -> {
                        // Resolved here, after a replaced entry was removed: that removal
                        // closes the cached descriptors of the directories below it, and the
                        // target may lie there.
                        int tfd = dirs.open(e.name(), tb[0], false);
                        try {
                            fs.linkat(tfd, tb[1], pfd, base);
                        } catch (SysException ex) {
                            if (ex.errno() == Errno.EEXIST) {
                                throw ex;
                            }
                            throw refused(e, "hardlink target " + e.linkName() + ": " + ex.getMessage());
                        }
                    });
                }
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> {
                    int type = switch (e.type()) {
                        case CHAR_DEVICE -> Syscalls.S_IFCHR;
                        case BLOCK_DEVICE -> Syscalls.S_IFBLK;
                        default -> Syscalls.S_IFIFO;
                    };
                    long dev = DeviceNumbers.makedev(e.devMajor(), e.devMinor());
                    replacing(pfd, parent, base, () -> fs.mknodat(pfd, base, type | 0600, dev));
                    metadata(pfd, base, e);
                    setTimes(pfd, base, e);
                }
            }
        }

        /** Makes directory {@code base}; an existing directory is kept, anything else replaced. */
        private void directory(int pfd, String parent, String base) throws IOException {
            try {
                fs.mkdirat(pfd, base, 0700);
            } catch (SysException ex) {
                if (ex.errno() != Errno.EEXIST) {
                    throw ex;
                }
                if (!removeExisting(pfd, parent, base, true)) {
                    fs.mkdirat(pfd, base, 0700);
                }
            }
        }

        private void regular(int pfd, String parent, String base, TarEntry e, InputStream content) throws IOException {
            int flags = Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_EXCL | Syscalls.O_NOFOLLOW;
            int fd;
            try {
                fd = fs.openat(pfd, base, flags, 0600);
            } catch (SysException ex) {
                if (ex.errno() != Errno.EEXIST) {
                    throw ex;
                }
                removeExisting(pfd, parent, base, false);
                fd = fs.openat(pfd, base, flags, 0600);
            }
            try {
                long left = e.size();
                while (left > 0) {
                    int n = content.readNBytes(heapBuffer, 0, (int) Math.min(heapBuffer.length, left));
                    if (n == 0) {
                        throw new java.io.EOFException("tar: " + e.name() + " truncated");
                    }
                    MemorySegment.copy(heapBuffer, 0, buffer, ValueLayout.JAVA_BYTE, 0, n);
                    fs.writeFully(fd, buffer.asSlice(0, n));
                    left -= n;
                    bytes += n;
                }
                // chown(2) clears set-user-ID/set-group-ID bits and file capabilities
                // (capabilities(7), "File capability extended attribute"), hence the order:
                // owner, then mode, then xattrs; the times last, as writing changes them.
                fs.fchown(fd, e.uid(), e.gid());
                fs.fchmod(fd, e.mode());
                for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                    if (allowedXattr(x.getKey())) {
                        fs.fsetxattr(fd, x.getKey(), x.getValue());
                    }
                }
                fs.futimens(fd, e.mtimeSeconds(), e.mtimeNanos());
            } finally {
                fs.close(fd);
            }
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
            fs.utimensat(pfd, base.isEmpty() ? "." : base, e.mtimeSeconds(), e.mtimeNanos(), Syscalls.AT_SYMLINK_NOFOLLOW);
        }

        /** Runs {@code create}; if the name exists already (EEXIST), removes it and runs it again. */
        private void replacing(int pfd, String parent, String name, Runnable create) throws IOException {
            try {
                create.run();
            } catch (SysException ex) {
                if (ex.errno() != Errno.EEXIST) {
                    throw ex;
                }
                removeExisting(pfd, parent, name, false);
                create.run();
            }
        }

        /**
         * Removes {@code name} in {@code pfd} (the directory {@code parent}) unless both it and
         * the new member are directories (a directory member then only updates metadata).
         * Returns whether a directory was kept.
         */
        private boolean removeExisting(int pfd, String parent, String name, boolean newIsDir) throws IOException {
            FileStat st = dirs.lstat(pfd, name);
            if (st == null) {
                return false;
            }
            if (st.isDirectory()) {
                if (newIsDir) {
                    return true;
                }
                dirs.forget(parent.isEmpty() ? name : parent + "/" + name);
                FileTrees.delete(Path.of(procPath(pfd, name)));
                return false;
            }
            fs.unlinkat(pfd, name, 0);
            return false;
        }
    }

    /** Keeps a layer from forging overlayfs's own metadata (redirects, opaque markers, origins). */
    private static boolean allowedXattr(String name) {
        return !name.startsWith("trusted.overlay.");
    }

    private static GantryException refused(TarEntry e, String why) {
        return new GantryException(ErrorKind.INVALID_ARGUMENT, "layer member '" + e.name() + "' refused: " + why);
    }

    /**
     * A path naming {@code name} inside the already resolved directory {@code fd}: the kernel
     * follows the /proc magic link to that directory itself, with no re-resolution from the
     * root; with name "." an l*xattr call sees the directory, not the proc link.
     */
    private static String procPath(int fd, String name) {
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
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? new String[] {"", rel} : new String[] {rel.substring(0, slash), rel.substring(slash + 1)};
    }

    private static TarEntry rename(TarEntry e, String name) {
        return new TarEntry(name, e.type(), e.mode(), e.uid(), e.gid(), e.uname(), e.gname(), e.size(),
                e.mtimeSeconds(), e.mtimeNanos(), e.linkName(), e.devMajor(), e.devMinor(), e.xattrs());
    }
}
