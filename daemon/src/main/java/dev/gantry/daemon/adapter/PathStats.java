package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.model.PathStat;
import dev.gantry.engine.PathInfo;

/** The engine's {@link PathInfo} as Docker's path stat, whose mode is Go's {@code os.FileMode}. */
final class PathStats {
    private static final long DIR = 1L << 31, SYMLINK = 1L << 27, DEVICE = 1L << 26, NAMED_PIPE = 1L << 25,
            SOCKET = 1L << 24, SETUID = 1L << 23, SETGID = 1L << 22, CHAR_DEVICE = 1L << 21, STICKY = 1L << 20;

    private PathStats() {
    }

    static PathStat of(PathInfo p) {
        return new PathStat(p.name(), p.size(), fileMode(p.mode()), p.mtime().toString(), p.linkTarget());
    }

    /** st_mode to os.FileMode: the permission bits stay, the type and special bits move to Go's high bits. */
    static long fileMode(int mode) {
        long m = mode & 0777;
        m |= switch (mode & 0170000) {
            case 0040000 -> DIR;
            case 0120000 -> SYMLINK;
            case 0060000 -> DEVICE;
            case 0020000 -> DEVICE | CHAR_DEVICE;
            case 0010000 -> NAMED_PIPE;
            case 0140000 -> SOCKET;
            default -> 0L;
        };
        if ((mode & 04000) != 0) {
            m |= SETUID;
        }
        if ((mode & 02000) != 0) {
            m |= SETGID;
        }
        if ((mode & 01000) != 0) {
            m |= STICKY;
        }
        return m;
    }
}
