/*
 * gantry-helper: the one piece of C in Gantry (DESIGN §4).
 *
 * Java decides, this program only executes. Java spawns it with posix_spawn and a
 * socket at fd 3, then sends a PLAN: an ordered list of steps compiled from config.json.
 * The helper runs the steps in order. CLONE splits the plan: the helper reports the new
 * child's host pid and exits; the child (the container's init, or an exec'd process)
 * runs the remaining steps inside its new namespaces and finally execve()s.
 *
 * Wire format on fd 3 (both directions): frames of [u32 type][u32 length][payload],
 * little-endian. A plan payload is a sequence of steps [u32 op][u32 argc] followed by
 * argc arguments [u32 length][bytes]. Strings carry their NUL; string lists are
 * NUL-separated; integers are u64 little-endian.
 *
 * Any failure is reported as one ERROR frame naming the step and path, and the process
 * exits 1: the Java side turns it into an exception and cleans up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <net/if.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define SYNC_FD 3

/* Frame types: keep in sync with dev.gantry.runtime.helper.Frame. */
enum {
    F_PLAN = 1, F_GO = 2, F_RESUME = 3,
    F_PID = 10, F_SYNC = 11, F_READY = 12, F_ERROR = 13, F_PTY = 14,
};

/* Step opcodes: keep in sync with dev.gantry.runtime.plan.Op. */
enum {
    OP_SETNS = 1, OP_UNSHARE = 2, OP_WRITE_FILE = 3, OP_CLONE = 4, OP_WAIT_GO = 5,
    OP_SETRESID = 6, OP_MOUNT = 7, OP_MKNOD = 9, OP_SYMLINK = 10, OP_PIVOT_ROOT = 11,
    OP_MOVE_ROOT = 12, OP_MASK = 13, OP_READONLY = 14, OP_SETHOSTNAME = 15,
    OP_SETDOMAINNAME = 16, OP_SYNC = 17, OP_RUN_HOOK = 18, OP_CONSOLE = 19,
    OP_SETRLIMIT = 20, OP_USER = 22, OP_CAPS = 23, OP_UMASK = 24, OP_CHDIR = 25,
    OP_NO_NEW_PRIVS = 26, OP_SECCOMP = 27, OP_EXEC_FIFO_FD = 28, OP_WAIT_START = 29,
    OP_LOOKUP = 30, OP_EXEC = 31, OP_READY = 32, OP_SETSID = 33, OP_SET_ROOT = 34,
    OP_MKDIR = 35, OP_SETNS_FD = 37, OP_LOOPBACK_UP = 38,
};

/* Target kinds for OP_MOUNT: how the destination is found. */
enum { T_ABSOLUTE = 0, T_DIR_IN_ROOT = 1, T_FILE_IN_ROOT = 2, T_EXISTING_IN_ROOT = 3 };

#define MAX_ARGS 16
#define MAX_LIST 4096

struct arg { const uint8_t *p; uint32_t len; };
struct step { uint32_t op; uint32_t argc; struct arg a[MAX_ARGS]; };

static const char *cur_step = "start";
static char root_path[PATH_MAX] = "/";
static int fifo_fd = -1;
static int console_slave = -1;
static char *hook_state = NULL;
static uint32_t hook_state_len = 0;
static char exec_path[PATH_MAX];

/* ---------- sync socket ---------- */

static int write_all(int fd, const void *buf, size_t len) {
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len) {
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) { errno = EPIPE; return -1; }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* send(2) with MSG_NOSIGNAL: once the runtime has gone (after READY), a late error must
 * not turn into a SIGPIPE death. */
static int send_all(const void *buf, size_t len) {
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = send(SYNC_FD, p, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_frame(uint32_t type, const void *payload, uint32_t len) {
    uint32_t hdr[2] = { type, len };
    if (send_all(hdr, sizeof hdr) < 0) return -1;
    return len ? send_all(payload, len) : 0;
}

/* Reports the failure of the current step and exits; never returns. */
__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...) {
    char msg[2048];
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof msg) n = sizeof msg - 1;
    (void)saved;
    send_frame(F_ERROR, msg, (uint32_t)n);
    _exit(1);
}

#define DIE_ERRNO(fmt, ...) die("%s: " fmt ": %s", cur_step, ##__VA_ARGS__, strerror(errno))

/* Reads one frame of the expected type into a malloc'd buffer. */
static uint8_t *recv_frame(uint32_t expected, uint32_t *len_out) {
    uint32_t hdr[2];
    if (read_all(SYNC_FD, hdr, sizeof hdr) < 0) DIE_ERRNO("reading from the runtime");
    if (hdr[0] != expected) die("%s: protocol error: expected frame %u, got %u", cur_step, expected, hdr[0]);
    if (hdr[1] > (64u << 20)) die("%s: protocol error: frame of %u bytes", cur_step, hdr[1]);
    uint8_t *buf = malloc(hdr[1] + 1);
    if (!buf) die("%s: out of memory", cur_step);
    if (hdr[1] && read_all(SYNC_FD, buf, hdr[1]) < 0) DIE_ERRNO("reading from the runtime");
    buf[hdr[1]] = 0;
    *len_out = hdr[1];
    return buf;
}

/* Sends fd with SCM_RIGHTS on sock, with name as the payload (runc's console protocol). */
static int send_fd(int sock, int fd, const char *name, int framed) {
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    uint32_t hdr[2] = { F_PTY, (uint32_t)strlen(name) };
    struct iovec iov[2];
    int iovcnt = 0;
    if (framed) {
        iov[iovcnt].iov_base = hdr;
        iov[iovcnt++].iov_len = sizeof hdr;
    }
    iov[iovcnt].iov_base = (void *)name;
    iov[iovcnt++].iov_len = strlen(name);
    struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)iovcnt,
                          .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* ---------- argument decoding ---------- */

static const char *str(const struct step *s, uint32_t i) {
    if (i >= s->argc || s->a[i].len == 0 || s->a[i].p[s->a[i].len - 1] != 0)
        die("%s: protocol error: argument %u is not a string", cur_step, i);
    return (const char *)s->a[i].p;
}

static uint64_t u64(const struct step *s, uint32_t i) {
    if (i >= s->argc || s->a[i].len != 8) die("%s: protocol error: argument %u is not a u64", cur_step, i);
    uint64_t v;
    memcpy(&v, s->a[i].p, 8);
    return v;
}

/* Splits a NUL-separated list into a NULL-terminated vector (pointers into the plan). */
static char **list(const struct step *s, uint32_t i, size_t *count) {
    if (i >= s->argc) die("%s: protocol error: missing list argument %u", cur_step, i);
    size_t n = 0;
    for (uint32_t k = 0; k < s->a[i].len; k++) if (s->a[i].p[k] == 0) n++;
    if (n > MAX_LIST) die("%s: list of %zu entries is too long", cur_step, n);
    char **v = calloc(n + 1, sizeof *v);
    if (!v) die("%s: out of memory", cur_step);
    const char *p = (const char *)s->a[i].p;
    for (size_t k = 0; k < n; k++) {
        v[k] = (char *)p;
        p += strlen(p) + 1;
    }
    if (count) *count = n;
    return v;
}

/* ---------- paths inside the root, never escaping it ---------- */

static int openat2_in(int dirfd, const char *path, uint64_t flags) {
    struct open_how how = { .flags = flags | O_CLOEXEC,
                            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

/*
 * Opens path inside root_path, creating missing components (directories, and the last
 * one as a directory or an empty file) as needed. Every lookup goes through openat2 with
 * RESOLVE_IN_ROOT, so a symlink in the container's rootfs (absolute, or climbing with
 * "..") is resolved as if root_path were "/": a mount destination can never land on the
 * host (the CVE-2021-30465 class of bugs). Returns an O_PATH fd.
 */
static int open_in_root(const char *path, int kind) {
    int rootfd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) DIE_ERRNO("opening root %s", root_path);
    int fd = openat2_in(rootfd, path, O_PATH);
    if (fd >= 0 || errno != ENOENT || kind == T_EXISTING_IN_ROOT) {
        int saved = errno;
        close(rootfd);
        errno = saved;
        return fd;
    }
    /* Walk the prefixes from the root, creating each missing component inside the
     * directory its parent resolved to: mkdirat/openat on a single name never follows a
     * symlink, and every prefix is looked up again with RESOLVE_IN_ROOT. */
    size_t plen = strlen(path);
    if (plen >= PATH_MAX) die("%s: path too long: %s", cur_step, path);
    char prefix[PATH_MAX];
    int fd2 = -1;
    for (size_t i = 0; i <= plen; i++) {
        if (i < plen && path[i] != '/') continue;
        if (i == 0 || path[i - 1] == '/') continue;
        memcpy(prefix, path, i);
        prefix[i] = 0;
        int last = i == plen || path[i + strspn(path + i, "/")] == 0;
        fd2 = openat2_in(rootfd, prefix, O_PATH);
        if (fd2 < 0 && errno == ENOENT) {
            char *slash = strrchr(prefix, '/');
            const char *name = slash ? slash + 1 : prefix;
            if (slash) *slash = 0;
            int dfd = openat2_in(rootfd, slash && *prefix ? prefix : "/", O_RDONLY | O_DIRECTORY);
            if (dfd < 0) DIE_ERRNO("opening parent of %s in %s", path, root_path);
            if (last && kind == T_FILE_IN_ROOT) {
                int f = openat(dfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (f < 0 && errno != EEXIST) DIE_ERRNO("creating %s", path);
                if (f >= 0) close(f);
            } else if (mkdirat(dfd, name, 0755) < 0 && errno != EEXIST) {
                DIE_ERRNO("creating directory %s", path);
            }
            close(dfd);
            memcpy(prefix, path, i);
            prefix[i] = 0;
            fd2 = openat2_in(rootfd, prefix, O_PATH);
        }
        if (fd2 < 0) DIE_ERRNO("resolving %s in %s", prefix, root_path);
        if (last) break;
        close(fd2);
        fd2 = -1;
    }
    close(rootfd);
    return fd2;
}

static void fd_path(int fd, char *out, size_t n) {
    snprintf(out, n, "/proc/self/fd/%d", fd);
}

/* Flags a bind mount inherits and that a remount inside a user namespace must keep:
 * the kernel refuses to clear "locked" flags (mount_namespaces(7), "Restrictions on
 * mount namespaces"). */
static unsigned long locked_flags(const char *path) {
    struct statvfs sv;
    if (statvfs(path, &sv) < 0) return 0;
    unsigned long f = 0;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
    return f;
}

static int do_mount(const char *src, const char *target, const char *type, unsigned long flags, const char *data) {
    if (mount(src, target, type, flags, data) == 0) return 0;
    if (errno == EPERM && (flags & MS_REMOUNT)) {
        unsigned long keep = locked_flags(target) & ~MS_RDONLY;
        return mount(src, target, type, flags | keep, data);
    }
    return -1;
}

/* ---------- steps ---------- */

static void step_mount(const struct step *s) {
    const char *src = str(s, 0), *dst = str(s, 1), *type = str(s, 2);
    unsigned long flags = (unsigned long)u64(s, 3);
    const char *data = str(s, 4);
    int kind = (int)u64(s, 5);
    const char *fallback_src = s->argc > 6 ? str(s, 6) : "";
    char target[PATH_MAX];
    int fd = -1;
    if (kind == T_ABSOLUTE) {
        snprintf(target, sizeof target, "%s", dst);
    } else {
        fd = open_in_root(dst, kind);
        if (fd < 0) {
            if (kind == T_EXISTING_IN_ROOT && errno == ENOENT) return;
            DIE_ERRNO("resolving mount destination %s", dst);
        }
        fd_path(fd, target, sizeof target);
    }
    int rc = do_mount(*src ? src : NULL, target, *type ? type : NULL, flags, *data ? data : NULL);
    if (rc < 0 && errno == EPERM && *fallback_src) {
        /* sysfs cannot be mounted in a user namespace that does not own the network
         * namespace; like runc, fall back to a recursive bind of the host's /sys. */
        rc = do_mount(fallback_src, target, NULL, MS_BIND | MS_REC, NULL);
    }
    if (rc < 0) DIE_ERRNO("mounting %s on %s (type %s)", *src ? src : "none", dst, *type ? type : "none");
    if (fd >= 0) close(fd);
}

/* Opens the directory that will hold path's last component (created as needed, resolved
 * inside the root) and points *name at that component. */
static int open_parent_in_root(const char *path, const char **name) {
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (!slash || !slash[1]) die("%s: bad path %s", cur_step, path);
    *name = path + (slash - parent) + 1;
    *slash = 0;
    int pfd = open_in_root(*parent ? parent : "/", T_DIR_IN_ROOT);
    int dfd = openat2_in(pfd, ".", O_RDONLY | O_DIRECTORY);
    if (dfd < 0) DIE_ERRNO("opening %s", *parent ? parent : "/");
    close(pfd);
    return dfd;
}

static void step_mknod(const struct step *s) {
    const char *path = str(s, 0), *name;
    mode_t mode = (mode_t)u64(s, 1);
    dev_t dev = (dev_t)u64(s, 2);
    uid_t uid = (uid_t)u64(s, 3);
    gid_t gid = (gid_t)u64(s, 4);
    int dfd = open_parent_in_root(path, &name);
    unlinkat(dfd, name, 0);
    if (mknodat(dfd, name, mode, dev) < 0) DIE_ERRNO("creating device %s", path);
    if (fchownat(dfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) DIE_ERRNO("chown of device %s", path);
    /* mknod applies the umask; the config's fileMode is exact. */
    int nfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    char p[64];
    fd_path(nfd, p, sizeof p);
    if (nfd < 0 || chmod(p, mode & 07777) < 0) DIE_ERRNO("chmod of device %s", path);
    close(nfd);
    close(dfd);
}

static void step_symlink(const struct step *s) {
    const char *target = str(s, 0), *path = str(s, 1), *name;
    int dfd = open_parent_in_root(path, &name);
    if (symlinkat(target, dfd, name) < 0 && errno != EEXIST) DIE_ERRNO("creating symlink %s", path);
    close(dfd);
}

static void step_mkdir(const struct step *s) {
    int fd = open_in_root(str(s, 0), T_DIR_IN_ROOT);
    char p[64];
    fd_path(fd, p, sizeof p);
    if (chmod(p, (mode_t)u64(s, 1)) < 0) DIE_ERRNO("chmod of %s", str(s, 0));
    close(fd);
}

/* pivot_root(".", ".") stacks the old root on top of the new one at "/"; detaching it
 * then leaves only the new root, without needing a directory for the old one
 * (pivot_root(2), NOTES). The old root is made a slave first so that the unmount does
 * not propagate to the host. */
static void step_pivot_root(const struct step *s) {
    const char *rootfs = str(s, 0);
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0) DIE_ERRNO("opening /");
    int newroot = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (newroot < 0) DIE_ERRNO("opening rootfs %s", rootfs);
    if (fchdir(newroot) < 0) DIE_ERRNO("chdir to %s", rootfs);
    if (syscall(SYS_pivot_root, ".", ".") < 0) DIE_ERRNO("pivot_root to %s", rootfs);
    if (fchdir(oldroot) < 0) DIE_ERRNO("chdir to old root");
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) DIE_ERRNO("making old root a slave");
    if (umount2(".", MNT_DETACH) < 0) DIE_ERRNO("detaching old root");
    if (chdir("/") < 0) DIE_ERRNO("chdir /");
    close(oldroot);
    close(newroot);
    snprintf(root_path, sizeof root_path, "/");
}

static void step_move_root(const struct step *s) {
    const char *rootfs = str(s, 0);
    if (chdir(rootfs) < 0) DIE_ERRNO("chdir to %s", rootfs);
    if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0) DIE_ERRNO("moving %s to /", rootfs);
    if (chroot(".") < 0) DIE_ERRNO("chroot to %s", rootfs);
    if (chdir("/") < 0) DIE_ERRNO("chdir /");
    snprintf(root_path, sizeof root_path, "/");
}

static void step_mask(const struct step *s) {
    const char *path = str(s, 0);
    int fd = open_in_root(path, T_EXISTING_IN_ROOT);
    if (fd < 0) {
        if (errno == ENOENT) return;
        DIE_ERRNO("masking %s", path);
    }
    struct stat st;
    if (fstat(fd, &st) < 0) DIE_ERRNO("stat %s", path);
    char p[64];
    fd_path(fd, p, sizeof p);
    int rc;
    if (S_ISDIR(st.st_mode)) {
        rc = mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0k,mode=000");
    } else {
        /* Bind the container's /dev/null through a descriptor checked to be the null device
         * (char 1:3): a path could have been swapped for a link to some other file, which
         * would then be exposed in place of the masked one (the runc CVE-2025-31133 class). */
        int nfd = open_in_root("/dev/null", T_EXISTING_IN_ROOT);
        struct stat nst;
        if (nfd < 0 || fstat(nfd, &nst) < 0) DIE_ERRNO("opening /dev/null to mask %s", path);
        if (!S_ISCHR(nst.st_mode) || major(nst.st_rdev) != 1 || minor(nst.st_rdev) != 3)
            die("%s: /dev/null in the container is not the null device; refusing to mask %s with it", cur_step, path);
        char src[64];
        fd_path(nfd, src, sizeof src);
        rc = mount(src, p, NULL, MS_BIND, NULL);
        close(nfd);
    }
    if (rc < 0) DIE_ERRNO("masking %s", path);
    close(fd);
}

static void step_readonly(const struct step *s) {
    const char *path = str(s, 0);
    int fd = open_in_root(path, T_EXISTING_IN_ROOT);
    if (fd < 0) {
        if (errno == ENOENT) return;
        DIE_ERRNO("making %s read-only", path);
    }
    char p[64];
    fd_path(fd, p, sizeof p);
    if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) DIE_ERRNO("binding %s", path);
    close(fd);
    /* Re-resolve: the fd still names the covered inode, not the new bind mount on top. */
    fd = open_in_root(path, T_EXISTING_IN_ROOT);
    if (fd < 0) DIE_ERRNO("reopening %s", path);
    /* MS_REMOUNT ignores MS_REC: a remount would leave mounts below path writable.
     * mount_setattr(2) with AT_RECURSIVE makes the whole subtree read-only. */
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
        DIE_ERRNO("making %s read-only", path);
    close(fd);
}

static void step_sync(const struct step *s) {
    if (send_frame(F_SYNC, NULL, 0) < 0) DIE_ERRNO("sync with the runtime");
    uint32_t len;
    uint8_t *resume = recv_frame(F_RESUME, &len);
    if (len) die("%s", (char *)resume); /* the runtime's own hook failed: report and stop */
    free(resume);
}

/* Runs a hook with the container state on its stdin, bounded by its timeout. */
static void step_run_hook(const struct step *s) {
    const char *path = str(s, 0);
    char **argv = list(s, 1, NULL);
    char **envp = list(s, 2, NULL);
    int timeout = (int)u64(s, 3);
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) DIE_ERRNO("pipe for hook %s", path);
    pid_t pid = fork();
    if (pid < 0) DIE_ERRNO("fork for hook %s", path);
    if (pid == 0) {
        dup2(p[0], 0);
        execve(path, argv[0] ? argv : (char *[]){ (char *)path, NULL }, envp);
        _exit(127);
    }
    close(p[0]);
    /* A hook need not read its stdin. Ignore SIGPIPE only for this write: an ignored
     * disposition would survive execve into the container's process. */
    signal(SIGPIPE, SIG_IGN);
    write_all(p[1], hook_state ? hook_state : "", hook_state_len);
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) DIE_ERRNO("pidfd_open for hook %s", path);
    struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
    int rc;
    do rc = poll(&pfd, 1, timeout > 0 ? timeout * 1000 : -1); while (rc < 0 && errno == EINTR);
    if (rc == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        die("%s: hook %s did not finish within its timeout of %d s", cur_step, path, timeout);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    close(pidfd);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        die("%s: hook %s could not be executed", cur_step, path);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("%s: hook %s failed with %s %d", cur_step, path,
            WIFEXITED(status) ? "exit status" : "signal",
            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

/* Creates the container's pty in its own devpts, binds the slave onto /dev/console and
 * hands the master to the runtime over the sync socket with SCM_RIGHTS. */
static void step_console(const struct step *s) {
    unsigned short rows = (unsigned short)u64(s, 0), cols = (unsigned short)u64(s, 1);
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) DIE_ERRNO("opening /dev/ptmx");
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) DIE_ERRNO("unlocking the pty");
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) DIE_ERRNO("opening the pty slave");
    unsigned int n;
    if (ioctl(master, TIOCGPTN, &n) < 0) DIE_ERRNO("reading the pty number");
    char name[64];
    snprintf(name, sizeof name, "/dev/pts/%u", n);
    if (rows && cols) {
        struct winsize ws = { .ws_row = rows, .ws_col = cols };
        ioctl(slave, TIOCSWINSZ, &ws);
    }
    if (u64(s, 2)) { /* bind onto /dev/console (init only, not exec) */
        int fd = open_in_root("/dev/console", T_FILE_IN_ROOT);
        char p[64], src[64];
        fd_path(fd, p, sizeof p);
        /* Bind the slave we hold, not a path the container's tree could redirect. */
        fd_path(slave, src, sizeof src);
        if (mount(src, p, NULL, MS_BIND, NULL) < 0) DIE_ERRNO("binding %s onto /dev/console", name);
        close(fd);
    }
    if (send_fd(SYNC_FD, master, name, 1) < 0) DIE_ERRNO("sending the pty master");
    close(master);
    console_slave = slave;
}

static void step_setsid(const struct step *s) {
    if (setsid() < 0 && errno != EPERM) DIE_ERRNO("setsid");
    if (console_slave >= 0) {
        if (ioctl(console_slave, TIOCSCTTY, 0) < 0) DIE_ERRNO("setting the controlling terminal");
        for (int i = 0; i < 3; i++)
            if (dup3(console_slave, i, 0) < 0) DIE_ERRNO("dup of the pty to fd %d", i);
        close(console_slave);
        console_slave = -1;
    }
}

static void step_user(const struct step *s) {
    uid_t uid = (uid_t)u64(s, 0);
    gid_t gid = (gid_t)u64(s, 1);
    size_t n = s->a[2].len / 8;
    gid_t *groups = calloc(n + 1, sizeof *groups);
    for (size_t i = 0; i < n; i++) {
        uint64_t g;
        memcpy(&g, s->a[2].p + i * 8, 8);
        groups[i] = (gid_t)g;
    }
    /* Keep the permitted set across setuid so that CAPS can grant the configured
     * capabilities to a non-root user (capabilities(7), "Effect of user ID changes"). */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) DIE_ERRNO("PR_SET_KEEPCAPS");
    if (u64(s, 3) && setgroups(n, groups) < 0) DIE_ERRNO("setgroups");
    if (setresgid(gid, gid, gid) < 0) DIE_ERRNO("setgid %u", gid);
    if (setresuid(uid, uid, uid) < 0) DIE_ERRNO("setuid %u", uid);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) DIE_ERRNO("PR_SET_KEEPCAPS");
    free(groups);
}

static void step_caps(const struct step *s) {
    uint64_t bounding = u64(s, 0), effective = u64(s, 1), permitted = u64(s, 2),
             inheritable = u64(s, 3), ambient = u64(s, 4);
    int last = 0;
    while (prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) last++;
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    /* A setuid to a non-zero uid under PR_SET_KEEPCAPS keeps the permitted set but clears
     * the effective one (capabilities(7)), and PR_CAPBSET_DROP needs CAP_SETPCAP effective:
     * make the permitted set effective again before dropping. */
    struct __user_cap_data_struct held[2];
    if (syscall(SYS_capget, &hdr, held) < 0) DIE_ERRNO("capget");
    held[0].effective = held[0].permitted;
    held[1].effective = held[1].permitted;
    if (syscall(SYS_capset, &hdr, held) < 0) DIE_ERRNO("raising the permitted capabilities");
    for (int c = 0; c <= last; c++)
        if (!(bounding & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
            DIE_ERRNO("dropping capability %d from the bounding set", c);
    struct __user_cap_data_struct data[2] = {
        { (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
        { (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
    };
    if (syscall(SYS_capset, &hdr, data) < 0) DIE_ERRNO("capset");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) DIE_ERRNO("clearing ambient capabilities");
    /* A capability can only be ambient if it is also permitted and inheritable
     * (capabilities(7)); like runc, one that cannot be raised is skipped, not fatal. */
    for (int c = 0; c <= last; c++)
        if (ambient & (1ULL << c)) prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0);
}

static void step_seccomp(const struct step *s) {
    unsigned int flags = (unsigned int)u64(s, 0);
    if (s->a[1].len % sizeof(struct sock_filter) || s->a[1].len == 0)
        die("%s: protocol error: seccomp program of %u bytes", cur_step, s->a[1].len);
    struct sock_fprog prog = { .len = (unsigned short)(s->a[1].len / sizeof(struct sock_filter)),
                               .filter = (struct sock_filter *)s->a[1].p };
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) < 0) DIE_ERRNO("loading the seccomp filter");
}

/* Resolves the executable like execvp(3) would, with the container's PATH, before the
 * container is reported ready: "executable not found" is a create-time error. */
static void step_lookup(const struct step *s) {
    const char *name = str(s, 0), *path = str(s, 1);
    struct stat st;
    if (strchr(name, '/')) {
        if (stat(name, &st) < 0) DIE_ERRNO("\"%s\"", name);
        if (S_ISDIR(st.st_mode)) die("%s: \"%s\" is a directory", cur_step, name);
        if (!(st.st_mode & 0111)) die("%s: \"%s\": permission denied", cur_step, name);
        snprintf(exec_path, sizeof exec_path, "%s", name);
        return;
    }
    char dirs[PATH_MAX * 4];
    snprintf(dirs, sizeof dirs, "%s", path);
    char *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char cand[PATH_MAX];
        snprintf(cand, sizeof cand, "%s/%s", *d ? d : ".", name);
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) {
            snprintf(exec_path, sizeof exec_path, "%s", cand);
            return;
        }
    }
    die("%s: \"%s\": executable file not found in $PATH", cur_step, name);
}

static void step_wait_start(const struct step *s) {
    char p[64];
    fd_path(fifo_fd, p, sizeof p);
    /* Blocks until `start` opens the fifo for reading (runc's exec.fifo protocol). */
    int fd = open(p, O_WRONLY | O_CLOEXEC);
    if (fd < 0) DIE_ERRNO("opening the exec fifo");
    if (write_all(fd, "0", 1) < 0) DIE_ERRNO("writing the exec fifo");
    close(fd);
    close(fifo_fd);
    fifo_fd = -1;
}

static void step_exec(const struct step *s) {
    char **argv = list(s, 0, NULL);
    char **envp = list(s, 1, NULL);
    /* Nothing of the runtime's may leak into the container: every fd above stdio is
     * close-on-exec from here on (close_range(2)), the sync socket included, so that
     * the runtime sees EOF exactly when the exec succeeded. */
    if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) DIE_ERRNO("close_range");
    execve(exec_path[0] ? exec_path : argv[0], argv, envp);
    DIE_ERRNO("exec \"%s\"", argv[0]);
}

static void step_clone(const struct step *s) {
    struct clone_args args;
    memset(&args, 0, sizeof args);
    /* CLONE_PARENT: the child inherits this helper's exit signal (SIGCHLD), and clone3
     * requires exit_signal to be 0 with it. */
    args.flags = u64(s, 0) | CLONE_PARENT;
    int cgfd = -1;
    const char *cgroup = str(s, 1);
    if (*cgroup) {
        cgfd = open(cgroup, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (cgfd < 0) DIE_ERRNO("opening cgroup %s", cgroup);
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = (uint64_t)cgfd;
    }
    /* CLONE_PARENT makes the child a child of the runtime (our parent), which can then
     * wait for it with a pidfd while this helper simply exits. */
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid < 0) DIE_ERRNO("clone3");
    if (pid > 0) {
        uint32_t p = (uint32_t)pid;
        if (send_frame(F_PID, &p, sizeof p) < 0) _exit(1);
        _exit(0);
    }
    /* The child goes on with the plan. Should the runtime die before GO or READY, the
     * child's next read of the socket ends (EOF) and it exits. */
    if (cgfd >= 0) close(cgfd);
}

static void run_step(const struct step *s) {
    switch (s->op) {
    case OP_SETNS: {
        cur_step = "setns";
        int fd = open(str(s, 0), O_RDONLY | O_CLOEXEC);
        if (fd < 0) DIE_ERRNO("opening namespace %s", str(s, 0));
        if (setns(fd, (int)u64(s, 1)) < 0) DIE_ERRNO("joining namespace %s", str(s, 0));
        close(fd);
        break;
    }
    case OP_SETNS_FD:
        /* setns(2) with a pidfd joins all the given namespaces of that process at once, in
         * the kernel's order, and cannot be misdirected by a reused pid. */
        cur_step = "setns";
        if (setns((int)u64(s, 0), (int)u64(s, 1)) < 0) DIE_ERRNO("joining the container's namespaces");
        close((int)u64(s, 0));
        break;
    case OP_UNSHARE:
        cur_step = "unshare";
        if (unshare((int)u64(s, 0)) < 0) DIE_ERRNO("unshare 0x%llx", (unsigned long long)u64(s, 0));
        break;
    case OP_WRITE_FILE: {
        cur_step = "write";
        int fd = open(str(s, 0), O_WRONLY | O_CLOEXEC);
        if (fd < 0) DIE_ERRNO("opening %s", str(s, 0));
        if (write_all(fd, s->a[1].p, s->a[1].len) < 0) DIE_ERRNO("writing %s", str(s, 0));
        close(fd);
        break;
    }
    case OP_CLONE: cur_step = "clone"; step_clone(s); break;
    case OP_WAIT_GO: {
        cur_step = "init";
        hook_state = (char *)recv_frame(F_GO, &hook_state_len);
        break;
    }
    case OP_SETRESID:
        cur_step = "setresid";
        if (setresgid((gid_t)u64(s, 1), (gid_t)u64(s, 1), (gid_t)u64(s, 1)) < 0) DIE_ERRNO("setresgid");
        if (setresuid((uid_t)u64(s, 0), (uid_t)u64(s, 0), (uid_t)u64(s, 0)) < 0) DIE_ERRNO("setresuid");
        break;
    case OP_SET_ROOT: snprintf(root_path, sizeof root_path, "%s", str(s, 0)); break;
    case OP_MOUNT: cur_step = "mount"; step_mount(s); break;
    case OP_MKNOD: cur_step = "device"; step_mknod(s); break;
    case OP_SYMLINK: cur_step = "symlink"; step_symlink(s); break;
    case OP_MKDIR: cur_step = "mkdir"; step_mkdir(s); break;
    case OP_PIVOT_ROOT: cur_step = "pivot_root"; step_pivot_root(s); break;
    case OP_MOVE_ROOT: cur_step = "no-pivot"; step_move_root(s); break;
    case OP_MASK: cur_step = "maskedPaths"; step_mask(s); break;
    case OP_READONLY: cur_step = "readonlyPaths"; step_readonly(s); break;
    case OP_SETHOSTNAME:
        cur_step = "hostname";
        if (sethostname(str(s, 0), strlen(str(s, 0))) < 0) DIE_ERRNO("sethostname %s", str(s, 0));
        break;
    case OP_LOOPBACK_UP: {
        /* A new network namespace starts with lo down; runc brings it up, and programs that
         * talk to themselves over 127.0.0.1 expect it (ioctl SIOCSIFFLAGS, netdevice(7)). */
        cur_step = "loopback";
        int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (sk < 0) DIE_ERRNO("socket for lo");
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
        if (ioctl(sk, SIOCGIFFLAGS, &ifr) < 0) DIE_ERRNO("reading the flags of lo");
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(sk, SIOCSIFFLAGS, &ifr) < 0) DIE_ERRNO("bringing lo up");
        close(sk);
        break;
    }
    case OP_SETDOMAINNAME:
        cur_step = "domainname";
        if (setdomainname(str(s, 0), strlen(str(s, 0))) < 0) DIE_ERRNO("setdomainname %s", str(s, 0));
        break;
    case OP_SYNC: cur_step = "hooks"; step_sync(s); break;
    case OP_RUN_HOOK: cur_step = str(s, 4); step_run_hook(s); break;
    case OP_CONSOLE: cur_step = "console"; step_console(s); break;
    case OP_SETRLIMIT: {
        cur_step = "rlimit";
        struct rlimit rl = { .rlim_cur = u64(s, 1), .rlim_max = u64(s, 2) };
        if (setrlimit((int)u64(s, 0), &rl) < 0) DIE_ERRNO("%s", str(s, 3));
        break;
    }
    case OP_USER: cur_step = "user"; step_user(s); break;
    case OP_CAPS: cur_step = "capabilities"; step_caps(s); break;
    case OP_UMASK: umask((mode_t)u64(s, 0)); break;
    case OP_CHDIR:
        cur_step = "cwd";
        if (chdir(str(s, 0)) < 0) DIE_ERRNO("chdir to %s", str(s, 0));
        break;
    case OP_NO_NEW_PRIVS:
        cur_step = "noNewPrivileges";
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) DIE_ERRNO("PR_SET_NO_NEW_PRIVS");
        break;
    case OP_SECCOMP: cur_step = "seccomp"; step_seccomp(s); break;
    case OP_EXEC_FIFO_FD:
        /* The runtime opened the fifo (O_PATH) and passed it at this fd: the init needs no
         * path into the runtime's state directory, which stays closed to everyone else. */
        fifo_fd = (int)u64(s, 0);
        if (fcntl(fifo_fd, F_SETFD, FD_CLOEXEC) < 0) DIE_ERRNO("the exec fifo descriptor");
        break;
    case OP_LOOKUP: cur_step = "exec"; step_lookup(s); break;
    case OP_READY:
        if (send_frame(F_READY, NULL, 0) < 0) DIE_ERRNO("reporting ready");
        break;
    case OP_WAIT_START: cur_step = "start"; step_wait_start(s); break;
    case OP_SETSID: cur_step = "setsid"; step_setsid(s); break;
    case OP_EXEC: cur_step = "exec"; step_exec(s); break;
    default: die("protocol error: unknown step %u", s->op);
    }
}

/*
 * Init mode (`gantry-helper -- CMD ARGS…`, run as a container's PID 1 for `docker run
 * --init`): start CMD, forward every signal it can receive to it, reap every process that
 * gets re-parented to PID 1, and exit with CMD's status once CMD has exited. A PID 1 that
 * does not reap leaves zombies; one that does not forward signals makes `docker stop` wait
 * for its timeout, because the kernel drops signals to PID 1 that it has no handler for.
 */
static int run_init(char **argv) {
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t child = fork();
    if (child < 0) {
        perror("gantry-init: fork");
        return 126;
    }
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        execvp(argv[0], argv);
        fprintf(stderr, "gantry-init: exec %s: %s\n", argv[0], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    int code = -1;
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0) continue;
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == child) code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (code >= 0) return code;
    }
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "--") == 0) return run_init(argv + 2);
    /* Not dumpable: no process of the container can open /proc/<pid>/exe or /proc/<pid>/mem
     * of this helper while it prepares the container (CVE-2019-5736). The runtime also
     * runs this binary from a sealed memfd, so the file itself cannot be rewritten. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) DIE_ERRNO("PR_SET_DUMPABLE");
    if (fcntl(SYNC_FD, F_SETFD, FD_CLOEXEC) < 0) {
        fprintf(stderr, "gantry-helper: must be started by the Gantry runtime with its socket at fd 3\n");
        return 2;
    }
    uint32_t len;
    uint8_t *plan = recv_frame(F_PLAN, &len);
    uint32_t off = 0;
    while (off < len) {
        struct step s;
        if (len - off < 8) die("protocol error: truncated plan");
        memcpy(&s.op, plan + off, 4);
        memcpy(&s.argc, plan + off + 4, 4);
        off += 8;
        if (s.argc > MAX_ARGS) die("protocol error: step %u has %u arguments", s.op, s.argc);
        for (uint32_t i = 0; i < s.argc; i++) {
            if (len - off < 4) die("protocol error: truncated plan");
            memcpy(&s.a[i].len, plan + off, 4);
            off += 4;
            if (len - off < s.a[i].len) die("protocol error: truncated plan");
            s.a[i].p = plan + off;
            off += s.a[i].len;
        }
        run_step(&s);
    }
    die("protocol error: the plan ended without exec");
}
