package dev.gantry.snapshot.fs;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/** A failed file-system call: the call, the path and the errno, mapped to an error kind. */
public final class FsException extends GantryException {
    public static final int ENOENT = 2;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int ENOSPC = 28;
    public static final int ELOOP = 40;

    private final int errno;

    public FsException(String call, String path, int errno) {
        super(kindOf(errno), call + " " + path + ": " + name(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    private static ErrorKind kindOf(int errno) {
        return switch (errno) {
            case ENOENT -> ErrorKind.NOT_FOUND;
            case EEXIST -> ErrorKind.ALREADY_EXISTS;
            case 1, 13 -> ErrorKind.PERMISSION_DENIED;
            case ENOSPC, 122 -> ErrorKind.UNAVAILABLE;
            default -> ErrorKind.INVALID_ARGUMENT;
        };
    }

    private static String name(int errno) {
        return switch (errno) {
            case 1 -> "EPERM (operation not permitted)";
            case ENOENT -> "ENOENT (no such file or directory)";
            case 13 -> "EACCES (permission denied)";
            case 16 -> "EBUSY (device or resource busy)";
            case EEXIST -> "EEXIST (file exists)";
            case EXDEV -> "EXDEV (path escapes the root)";
            case ENOTDIR -> "ENOTDIR (not a directory)";
            case 21 -> "EISDIR (is a directory)";
            case 22 -> "EINVAL (invalid argument)";
            case ENOSPC -> "ENOSPC (no space left on device)";
            case 39 -> "ENOTEMPTY (directory not empty)";
            case ELOOP -> "ELOOP (a symlink in the path)";
            case 95 -> "EOPNOTSUPP (operation not supported)";
            case 122 -> "EDQUOT (disk quota exceeded)";
            default -> "errno " + errno;
        };
    }
}
