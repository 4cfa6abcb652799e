package dev.gantry.runtime.plan;

/**
 * The steps the C helper knows how to execute, with their wire codes (helper.c keeps the
 * same numbers). Each constant documents its arguments in order.
 */
public enum Op {
    /** path, nstype (u64): setns(2) into an existing namespace; in the helper, before CLONE. */
    SETNS(1),
    /** fd (u64) of a pidfd, namespace flags (u64): join those namespaces of that process at once. */
    SETNS_FD(37),
    /** flags (u64): unshare(2). */
    UNSHARE(2),
    /** path, bytes: write the bytes to an existing file (sysctl, timens_offsets). */
    WRITE_FILE(3),
    /** flags (u64), cgroup dir ("" for none): clone3 the child; the helper reports its pid and exits. */
    CLONE(4),
    /** Wait for the runtime's GO (ids mapped, cgroup joined); it carries the state JSON for in-container hooks. */
    WAIT_GO(5),
    /** uid, gid (u64): setresuid/setresgid, used to become root of a new user namespace. */
    SETRESID(6),
    /** source, destination, fstype, flags (u64), data, target kind (u64)[, fallback bind source]. */
    MOUNT(7),
    /** path in root, mode incl. type (u64), dev (u64), uid, gid (u64). */
    MKNOD(9),
    /** link target, path in root. */
    SYMLINK(10),
    /** rootfs: pivot_root into it and detach the old root. */
    PIVOT_ROOT(11),
    /** rootfs: MS_MOVE it onto / and chroot (runc --no-pivot). */
    MOVE_ROOT(12),
    /** path: hide it (tmpfs over a directory, /dev/null over a file); absent paths are skipped. */
    MASK(13),
    /** path: bind it onto itself read-only; absent paths are skipped. */
    READONLY(14),
    /** hostname. */
    SETHOSTNAME(15),
    /** domainname. */
    SETDOMAINNAME(16),
    /** Tell the runtime the namespaces and mounts are ready, and wait until its hooks ran. */
    SYNC(17),
    /** path, argv list, env list, timeout seconds (u64), hook kind: run a hook in the container's namespaces. */
    RUN_HOOK(18),
    /** rows, cols (u64), bind onto /dev/console (u64 0/1): create the pty and send its master to the runtime. */
    CONSOLE(19),
    /** resource, soft, hard (u64), name. */
    SETRLIMIT(20),
    /** uid, gid (u64), supplementary gids (u64 array), call setgroups (u64 0/1). */
    USER(22),
    /** bounding, effective, permitted, inheritable, ambient capability masks (u64 each). */
    CAPS(23),
    /** mask (u64). */
    UMASK(24),
    /** path. */
    CHDIR(25),
    /** prctl(PR_SET_NO_NEW_PRIVS). */
    NO_NEW_PRIVS(26),
    /** flags (u64), struct sock_filter array. */
    SECCOMP(27),
    /** fd (u64) at which the runtime passed the exec fifo, opened O_PATH. */
    EXEC_FIFO_FD(28),
    /** argv[0], PATH: resolve the executable now, so that a missing one fails the create. */
    LOOKUP(30),
    /** argv list, env list: execve(2); the sync socket closes on success. */
    EXEC(31),
    /** Report that the container is created and waiting for start. */
    READY(32),
    /** Block until `start` opens the exec fifo. */
    WAIT_START(29),
    /** setsid(2), and make the console the controlling terminal and stdio if there is one. */
    SETSID(33),
    /** path: the directory later in-root paths resolve against. */
    SET_ROOT(34),
    /** path in root, mode (u64): create the directory (and parents) and chmod it. */
    MKDIR(35),
    /** Bring the loopback interface of the (new) network namespace up, as runc does. */
    LOOPBACK_UP(38);

    private final int code;

    Op(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
