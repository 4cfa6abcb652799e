package dev.gantry.sys;

/**
 * What fstatat(2) says about a file: its type and permission bits ({@code mode}), owner,
 * device number (for device nodes), size, inode and link count.
 */
public record FileStat(int mode, int uid, int gid, long rdev, long size, long ino, long nlink) {
    /** The file type bits of {@code mode}: one of the {@code Syscalls.S_IF*} values. */
    public int type() {
        return mode & Syscalls.S_IFMT;
    }

    public boolean isDirectory() {
        return type() == Syscalls.S_IFDIR;
    }
}
