package dev.gantry.sys;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The kernel, as Gantry's Java code sees it. Every method is one system call (or one libc
 * wrapper of one) and throws {@link SysException} naming the call and its subject when the
 * kernel refuses. File descriptors are plain ints; callers own what they open and close it.
 *
 * <p>Methods that can block (read, waitid, poll with a timeout, opening a fifo) must be
 * called from a platform thread: a blocked downcall pins a virtual thread's carrier.
 *
 * <p>Components receive an instance through their constructor: {@link LinuxSyscalls} on a
 * real host, a recording fake in unit tests.
 */
public interface Syscalls {
    int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400,
            O_TRUNC = 01000, O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000,
            O_CLOEXEC = 02000000, O_PATH = 010000000;
    short POLLIN = 0x1, POLLOUT = 0x4, POLLHUP = 0x10;

    int open(String path, int flags, int mode);

    int read(int fd, byte[] buf, int off, int len);

    int write(int fd, byte[] buf, int off, int len);

    void close(int fd);

    /** Creates an anonymous file (memfd_create(2)), sealable, close-on-exec. */
    int memfdCreate(String name);

    /** fcntl(2) with an int argument; returns the call's result. */
    int fcntl(int fd, int cmd, int arg);

    /** socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): two connected fds. */
    int[] socketPair();

    /** Connects a new AF_UNIX stream socket to path. */
    int connectUnix(String path);

    /**
     * A new AF_UNIX stream socket bound to path and listening (socket, bind, listen(2));
     * close-on-exec. The path must not exist.
     */
    int listenUnix(String path);

    /** accept4(2) with SOCK_CLOEXEC on a listening socket; blocks. */
    int accept(int listeningFd);

    /** recvmsg(2) of up to max bytes and at most one SCM_RIGHTS descriptor. */
    Received recvWithFd(int sock, int max);

    /** sendmsg(2) of data with fd attached by SCM_RIGHTS. */
    void sendWithFd(int sock, byte[] data, int fd);

    /** Starts a process with posix_spawn(3); returns its pid. */
    int spawn(SpawnRequest request);

    /** pidfd_open(2): a close-on-exec fd that refers to the process, immune to pid reuse. */
    int pidfdOpen(int pid);

    /** pidfd_send_signal(2). */
    void pidfdSendSignal(int pidfd, int signal);

    /** kill(2). */
    void kill(int pid, int signal);

    /** Blocks until the child behind pidfd exits and reaps it (waitid(P_PIDFD, WEXITED)). */
    ExitStatus waitPidfd(int pidfd);

    /**
     * ioctl(PIDFD_GET_INFO) asking for PIDFD_INFO_EXIT: the exit status of the process behind
     * pidfd once it has been reaped, by whichever process was its parent, so that a process
     * that is not the parent (a daemon adopting a container after a restart) learns how it
     * ended. {@link PidfdExit.Unknown} on a kernel before 6.15, which keeps no such status.
     * Does not block.
     */
    PidfdExit pidfdExit(int pidfd);

    /** poll(2) on one fd; returns the revents, or 0 on timeout (timeoutMillis &lt; 0 waits forever). */
    int poll(int fd, short events, int timeoutMillis);

    /** mkfifo(3). */
    void mkfifo(String path, int mode);

    /** ioctl(TIOCSWINSZ) on a terminal. */
    void setWindowSize(int fd, int rows, int cols);

    /** The calling process's pid. */
    int getpid();

    /**
     * prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants are re-parented to this process
     * instead of to init, so it can wait for them (a daemon collects the exit status of a
     * container init that an OCI runtime binary started and left behind).
     */
    void setChildSubreaper();

    // File-system calls relative to directory fds: what layer unpacking, diffing and
    // snapshot mounts need and NIO cannot do safely (no path re-resolution, no symlink
    // following, any xattr namespace, device nodes, ownership of symlinks).

    int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200;
    /** openat2(2) resolve flags (struct open_how.resolve). */
    long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08;
    /** File type bits of a mode (inode(7)). */
    int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000,
            S_IFREG = 0100000, S_IFLNK = 0120000;
    long MS_RDONLY = 1, MS_REMOUNT = 32, MS_BIND = 4096, MS_REC = 16384;
    int MNT_DETACH = 2;

    /** openat(2) of path relative to dirfd ({@link #AT_FDCWD}: the working directory); O_CLOEXEC is always added. */
    int openat(int dirfd, String path, int flags, int mode);

    /**
     * openat2(2): openat with {@code resolve} flags ({@code RESOLVE_*}); O_CLOEXEC is always
     * added. With RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS the kernel refuses (EXDEV, ELOOP) any
     * path that would leave dirfd or pass through a symlink, at the moment of the lookup.
     */
    int openat2(int dirfd, String path, int flags, long resolve);

    /** mkdirat(2). */
    void mkdirat(int dirfd, String name, int mode);

    /** mknodat(2): mode holds the file type ({@code S_IF*}) and permissions; dev per {@link DeviceNumbers}. */
    void mknodat(int dirfd, String name, int mode, long dev);

    /** symlinkat(2): creates name in dirfd pointing at target (which is not looked up). */
    void symlinkat(String target, int dirfd, String name);

    /** linkat(2) without AT_SYMLINK_FOLLOW: links the named inode itself, even a symlink. */
    void linkat(int olddirfd, String oldName, int newdirfd, String newName);

    /** unlinkat(2); {@link #AT_REMOVEDIR} removes an empty directory. */
    void unlinkat(int dirfd, String name, int flags);

    /** fchownat(2); with {@link #AT_SYMLINK_NOFOLLOW} a symlink itself changes owner. */
    void fchownat(int dirfd, String name, int uid, int gid, int flags);

    /** fchown(2). Clears set-user-ID, set-group-ID and file capabilities (chown(2), capabilities(7)). */
    void fchown(int fd, int uid, int gid);

    /** fchmodat(2), following a final symlink (Linux cannot chmod a symlink). */
    void fchmodat(int dirfd, String name, int mode);

    /** fchmod(2). */
    void fchmod(int fd, int mode);

    /** utimensat(2) setting access and modification time of name in dirfd to the same instant. */
    void utimensat(int dirfd, String name, long seconds, int nanos, int flags);

    /** futimens(3): utimensat on an open fd, setting access and modification time to the same instant. */
    void futimens(int fd, long seconds, int nanos);

    /** fstatat(2); throws NOT_FOUND (ENOENT) when name does not exist. */
    FileStat fstatat(int dirfd, String name, int flags);

    /** fsetxattr(2), creating or replacing the attribute. */
    void fsetxattr(int fd, String name, byte[] value);

    /** lsetxattr(2): on path itself, not a symlink's target. */
    void lsetxattr(String path, String name, byte[] value);

    /** lgetxattr(2) of up to 64 KiB; null when the attribute is absent (ENODATA). */
    byte[] lgetxattr(String path, String name);

    /** llistxattr(2): the attribute names of path; empty when the file system has none (ENOTSUP). */
    List<String> llistxattr(String path);

    /** mount(2); fstype and data may be null. */
    void mount(String source, String target, String fstype, long flags, String data);

    /** umount2(2). */
    void umount2(String target, int flags);

    /**
     * write(2) of all of {@code data}, looping on short writes and EINTR. For bulk copies:
     * the caller keeps one native buffer instead of a copy per call.
     */
    void writeFully(int fd, MemorySegment data);

    /** isatty(3). */
    boolean isatty(int fd);

    /** ioctl(TIOCGWINSZ): {rows, cols} of a terminal. */
    int[] windowSize(int fd);

    /**
     * Puts a terminal in raw mode (cfmakeraw(3): no echo, no line editing, no signals from
     * keys) and returns its previous settings, for {@link #restoreTerminal}.
     */
    byte[] makeRaw(int fd);

    /** tcsetattr(3) with settings returned by {@link #makeRaw}. */
    void restoreTerminal(int fd, byte[] settings);
}
