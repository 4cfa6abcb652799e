package dev.gantry.sys;

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

    /** poll(2) on one fd; returns the revents, or 0 on timeout (timeoutMillis &lt; 0 waits forever). */
    int poll(int fd, short events, int timeoutMillis);

    /** mkfifo(3). */
    void mkfifo(String path, int mode);

    /** ioctl(TIOCSWINSZ) on a terminal. */
    void setWindowSize(int fd, int rows, int cols);

    /** The calling process's pid. */
    int getpid();
}
