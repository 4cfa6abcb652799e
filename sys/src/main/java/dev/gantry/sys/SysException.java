package dev.gantry.sys;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/** A failed system call: names the call, the path or object it was about, and the errno. */
public final class SysException extends GantryException {
    private final int errno;

    public SysException(String call, String subject, int errno) {
        super(kindOf(errno), call + (subject == null ? "" : " " + subject) + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    private static ErrorKind kindOf(int errno) {
        return switch (errno) {
            case Errno.ENOENT, Errno.ESRCH -> ErrorKind.NOT_FOUND;
            case Errno.EEXIST -> ErrorKind.ALREADY_EXISTS;
            case Errno.EPERM, Errno.EACCES -> ErrorKind.PERMISSION_DENIED;
            case Errno.EINVAL -> ErrorKind.INVALID_ARGUMENT;
            case Errno.EBUSY -> ErrorKind.CONFLICT;
            case Errno.ENOSYS, Errno.ENOSPC, Errno.ENOMEM -> ErrorKind.UNAVAILABLE;
            default -> ErrorKind.INTERNAL;
        };
    }
}
