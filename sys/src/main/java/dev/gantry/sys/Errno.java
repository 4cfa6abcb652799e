package dev.gantry.sys;

/** The errno values Gantry reacts to by name, and their strerror(3) text. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, ECHILD = 10,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EBUSY = 16, EEXIST = 17, ENOTDIR = 20, EINVAL = 22, ENOTTY = 25,
            ENOSPC = 28, EPIPE = 32, ENOSYS = 38, ENOTEMPTY = 39, ECONNREFUSED = 111;

    private static final String[] TEXT = new String[134];

    static {
        TEXT[EPERM] = "Operation not permitted";
        TEXT[ENOENT] = "No such file or directory";
        TEXT[ESRCH] = "No such process";
        TEXT[EINTR] = "Interrupted system call";
        TEXT[EIO] = "Input/output error";
        TEXT[EBADF] = "Bad file descriptor";
        TEXT[ECHILD] = "No child processes";
        TEXT[EAGAIN] = "Resource temporarily unavailable";
        TEXT[ENOMEM] = "Cannot allocate memory";
        TEXT[EACCES] = "Permission denied";
        TEXT[EBUSY] = "Device or resource busy";
        TEXT[EEXIST] = "File exists";
        TEXT[ENOTDIR] = "Not a directory";
        TEXT[EINVAL] = "Invalid argument";
        TEXT[ENOTTY] = "Inappropriate ioctl for device";
        TEXT[ENOSPC] = "No space left on device";
        TEXT[EPIPE] = "Broken pipe";
        TEXT[ENOSYS] = "Function not implemented";
        TEXT[ENOTEMPTY] = "Directory not empty";
        TEXT[ECONNREFUSED] = "Connection refused";
    }

    private Errno() {}

    public static String describe(int errno) {
        String t = errno > 0 && errno < TEXT.length ? TEXT[errno] : null;
        return t != null ? t : "errno " + errno;
    }
}
