package dev.gantry.snapshot;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.sys.Errno;
import dev.gantry.sys.FileStat;
import dev.gantry.sys.SysException;
import dev.gantry.sys.Syscalls;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The directories of one layer application as O_PATH fds, by path relative to the root. Each
 * is opened with openat2(2) RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
 * RESOLVE_NO_XDEV from the root fd, so the kernel refuses any path that leaves the root or
 * passes a symlink at the moment of the lookup (CVE-2018-15664 class).
 *
 * <p>Opened fds are kept (the least recently used closed beyond {@link #MAX_OPEN}), so that
 * the thousands of members of a layer do not each resolve their parent again from the root.
 * A kept fd names the directory inode it was resolved to; the applier neither renames nor
 * hardlinks directories, so that inode can only stop being the directory at its path by
 * being removed, and every removal of a directory goes through {@link #forget}, which drops
 * the path and everything below it. A later member that plants a symlink where a directory
 * was is therefore resolved afresh, and refused.
 */
final class ParentDirs implements AutoCloseable {
    private static final long RESOLVE = Syscalls.RESOLVE_BENEATH | Syscalls.RESOLVE_NO_SYMLINKS
            | Syscalls.RESOLVE_NO_MAGICLINKS | Syscalls.RESOLVE_NO_XDEV;
    private static final int EXDEV = 18;
    private static final int ELOOP = 40;
    /** Open fds kept per application; several layers are applied at once under RLIMIT_NOFILE. */
    static final int MAX_OPEN = 128;

    private final Syscalls fs;
    private final int rootFd;
    private final LinkedHashMap<String, Integer> open = new LinkedHashMap<>(64, 0.75f, true);

    ParentDirs(Syscalls fs, int rootFd) {
        this.fs = fs;
        this.rootFd = rootFd;
    }

    /**
     * The fd of directory {@code dir} ("" for the root), creating missing directories (mode
     * 0755, as tars may omit directory members) when {@code create}. Refusals name
     * {@code member}. The fd stays owned by this cache.
     */
    int open(String member, String dir, boolean create) {
        if (dir.isEmpty()) {
            return rootFd;
        }
        Integer cached = open.get(dir);
        if (cached != null) {
            return cached;
        }
        int fd;
        try {
            fd = fs.openat2(rootFd, dir, Syscalls.O_PATH | Syscalls.O_DIRECTORY, RESOLVE);
        } catch (SysException e) {
            if (e.errno() != Errno.ENOENT || !create) {
                throw refusal(member, dir, e);
            }
            fd = createMissing(member, dir);
        }
        keep(dir, fd);
        return fd;
    }

    /** Creates the missing components of {@code dir} one at a time, each beneath its opened parent. */
    private int createMissing(String member, String dir) {
        int slash = dir.lastIndexOf('/');
        int parent = open(member, slash < 0 ? "" : dir.substring(0, slash), true);
        String name = dir.substring(slash + 1);
        try {
            fs.mkdirat(parent, name, 0755);
        } catch (SysException e) {
            // EEXIST: a non-directory is in the way; the openat2 below names it.
            if (e.errno() != Errno.EEXIST) {
                throw refusal(member, dir, e);
            }
        }
        try {
            return fs.openat2(rootFd, dir, Syscalls.O_PATH | Syscalls.O_DIRECTORY, RESOLVE);
        } catch (SysException e) {
            throw refusal(member, dir, e);
        }
    }

    private void keep(String dir, int fd) {
        open.put(dir, fd);
        if (open.size() > MAX_OPEN) {
            Iterator<Map.Entry<String, Integer>> eldest = open.entrySet().iterator();
            fs.close(eldest.next().getValue());
            eldest.remove();
        }
    }

    /** Drops {@code path} and every directory below it: it is about to be removed. */
    void forget(String path) {
        String below = path + "/";
        Iterator<Map.Entry<String, Integer>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Integer> e = it.next();
            if (e.getKey().equals(path) || e.getKey().startsWith(below)) {
                fs.close(e.getValue());
                it.remove();
            }
        }
    }

    /** fstatat(2) of {@code name} in {@code dirFd}, not following a symlink; null when absent. */
    FileStat lstat(int dirFd, String name) {
        try {
            return fs.fstatat(dirFd, name, Syscalls.AT_SYMLINK_NOFOLLOW);
        } catch (SysException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        open.values().forEach(fs::close);
        open.clear();
    }

    private static GantryException refusal(String member, String dir, SysException e) {
        String why = switch (e.errno()) {
            case ELOOP -> "a parent directory is a symlink";
            case EXDEV -> "the path escapes the layer root";
            case Errno.ENOTDIR -> "a parent is not a directory";
            case Errno.ENOENT -> "a parent directory does not exist";
            default -> e.getMessage();
        };
        return new GantryException(ErrorKind.INVALID_ARGUMENT, "layer member '" + member + "' refused: " + why + " (" + dir + ")");
    }
}
