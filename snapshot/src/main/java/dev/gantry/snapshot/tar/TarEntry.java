package dev.gantry.snapshot.tar;

import java.util.Map;

/**
 * One tar member's header, after PAX and GNU extensions are applied. {@code name} is as
 * stored (not sanitized); {@code mode} holds permission bits only (07777); times are seconds
 * and nanoseconds since the epoch. {@code xattrs} values are raw bytes.
 */
public record TarEntry(
        String name,
        Type type,
        int mode,
        int uid,
        int gid,
        String uname,
        String gname,
        long size,
        long mtimeSeconds,
        int mtimeNanos,
        String linkName,
        int devMajor,
        int devMinor,
        Map<String, byte[]> xattrs) {

    /** Member types (POSIX ustar typeflag). */
    public enum Type {
        REGULAR('0'), HARDLINK('1'), SYMLINK('2'), CHAR_DEVICE('3'), BLOCK_DEVICE('4'), DIRECTORY('5'), FIFO('6');

        private final char flag;

        Type(char flag) {
            this.flag = flag;
        }

        public char flag() {
            return flag;
        }
    }

    public TarEntry {
        xattrs = xattrs == null ? Map.of() : Map.copyOf(xattrs);
        linkName = linkName == null ? "" : linkName;
    }

    /** A regular file, directory, fifo or whiteout with the given basic metadata. */
    public static TarEntry of(String name, Type type, int mode, long size, long mtimeSeconds) {
        return new TarEntry(name, type, mode, 0, 0, "", "", size, mtimeSeconds, 0, "", 0, 0, Map.of());
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }
}
