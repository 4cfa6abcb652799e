package dev.gantry.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@link Syscalls} through the Foreign Function &amp; Memory API on x86_64 glibc. errno is
 * captured with {@code Linker.Option.captureCallState("errno")}; calls without a glibc
 * wrapper go through syscall(2) as a variadic function.
 */
public final class LinuxSyscalls implements Syscalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERR = Linker.Option.captureCallState("errno");

    private static final long SYS_PIDFD_OPEN = 434, SYS_PIDFD_SEND_SIGNAL = 424;
    private static final int P_PIDFD = 3, WEXITED = 4, CLD_EXITED = 1;
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000, SOL_SOCKET = 1,
            SCM_RIGHTS = 1, MSG_CMSG_CLOEXEC = 0x40000000, MSG_NOSIGNAL = 0x4000;
    private static final long TIOCSWINSZ = 0x5414;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;

    private static final Downcall OPEN = errno("open", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall READ = errno("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final Downcall WRITE = errno("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final Downcall CLOSE = errno("close", JAVA_INT, JAVA_INT);
    private static final Downcall MEMFD_CREATE = errno("memfd_create", JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall FCNTL = errnoVariadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall SOCKETPAIR = errno("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final Downcall SOCKET = errno("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall CONNECT = errno("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall BIND = errno("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall LISTEN = errno("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall ACCEPT4 = errno("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final Downcall PRCTL = errnoVariadic("prctl", 1, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Downcall RECVMSG = errno("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall SENDMSG = errno("sendmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall KILL = errno("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall WAITID = errno("waitid", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall POLL = errno("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall MKFIFO = errno("mkfifo", JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall IOCTL_PTR = errnoVariadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final Downcall SYSCALL_II = errnoVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final Downcall SYSCALL_IIAI = errnoVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall GETPID = plain("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final Downcall SPAWN = plain("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final Downcall FA_INIT = plain("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final Downcall FA_DESTROY = plain("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final Downcall FA_DUP2 = plain("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final Downcall FA_CLOSEFROM = plain("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final Downcall ATTR_INIT = plain("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final Downcall ATTR_DESTROY = plain("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final Downcall ATTR_SETFLAGS = plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final Downcall ATTR_SETSIGDEFAULT = plain("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final Downcall ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private static Downcall errno(String name, ValueLayout ret, ValueLayout... args) {
        return new Downcall(() -> LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args), ERR));
    }

    private static Downcall errnoVariadic(String name, int firstVariadic, ValueLayout ret, ValueLayout... args) {
        return new Downcall(() -> LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args), ERR,
                Linker.Option.firstVariadicArg(firstVariadic)));
    }

    private static Downcall plain(String name, FunctionDescriptor fd) {
        return new Downcall(() -> LINKER.downcallHandle(symbol(name), fd));
    }

    /**
     * A downcall handle made on first use: linking one spins classes and costs about a
     * millisecond, and a command-line run uses only a few of them.
     */
    private static final class Downcall {
        private final java.util.function.Supplier<MethodHandle> link;
        private volatile MethodHandle handle;

        Downcall(java.util.function.Supplier<MethodHandle> link) {
            this.link = link;
        }

        MethodHandle handle() {
            MethodHandle h = handle;
            if (h == null) {
                h = link.get();
                handle = h;
            }
            return h;
        }
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
    }

    private static int errnoOf(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    @Override
    public int open(String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int fd = (int) OPEN.handle().invokeExact(cs, a.allocateFrom(path), flags, mode);
            if (fd < 0) throw new SysException("open", path, errnoOf(cs));
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment mem = a.allocate(Math.max(1, len));
            while (true) {
                long n = (long) READ.handle().invokeExact(cs, fd, mem, (long) len);
                if (n >= 0) {
                    MemorySegment.copy(mem, JAVA_BYTE, 0, buf, off, (int) n);
                    return (int) n;
                }
                if (errnoOf(cs) != Errno.EINTR) throw new SysException("read", "fd " + fd, errnoOf(cs));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment mem = a.allocate(Math.max(1, len));
            MemorySegment.copy(buf, off, mem, JAVA_BYTE, 0, len);
            int done = 0;
            while (done < len) {
                long n = (long) WRITE.handle().invokeExact(cs, fd, mem.asSlice(done), (long) (len - done));
                if (n < 0) {
                    if (errnoOf(cs) == Errno.EINTR) continue;
                    throw new SysException("write", "fd " + fd, errnoOf(cs));
                }
                done += (int) n;
            }
            return done;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int rc = (int) CLOSE.handle().invokeExact(cs, fd);
            // close(2): after EINTR the fd is gone on Linux; only EBADF is a caller bug.
            if (rc < 0 && errnoOf(cs) == Errno.EBADF) throw new SysException("close", "fd " + fd, Errno.EBADF);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int memfdCreate(String name) {
        final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int fd = (int) MEMFD_CREATE.handle().invokeExact(cs, a.allocateFrom(name), MFD_CLOEXEC | MFD_ALLOW_SEALING);
            if (fd < 0) throw new SysException("memfd_create", name, errnoOf(cs));
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int rc = (int) FCNTL.handle().invokeExact(cs, fd, cmd, arg);
            if (rc < 0) throw new SysException("fcntl", "fd " + fd + " cmd " + cmd, errnoOf(cs));
            return rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int[] socketPair() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int rc = (int) SOCKETPAIR.handle().invokeExact(cs, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
            if (rc < 0) throw new SysException("socketpair", null, errnoOf(cs));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int connectUnix(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) throw new SysException("connect", path, Errno.EINVAL);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int fd = (int) SOCKET.handle().invokeExact(cs, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) throw new SysException("socket", path, errnoOf(cs));
            MemorySegment addr = sockaddrUn(a, p);
            int rc = (int) CONNECT.handle().invokeExact(cs, fd, addr, 110);
            if (rc < 0) {
                int e = errnoOf(cs);
                close(fd);
                throw new SysException("connect", path, e);
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** struct sockaddr_un (unix(7)): sun_family, then the NUL-terminated path; 110 bytes. */
    private static MemorySegment sockaddrUn(Arena a, byte[] path) {
        MemorySegment addr = a.allocate(110);
        addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(path, 0, addr, JAVA_BYTE, 2, path.length);
        return addr;
    }

    @Override
    public int listenUnix(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) throw new SysException("bind", path, Errno.EINVAL);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int fd = (int) SOCKET.handle().invokeExact(cs, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) throw new SysException("socket", path, errnoOf(cs));
            MemorySegment addr = sockaddrUn(a, p);
            int rc = (int) BIND.handle().invokeExact(cs, fd, addr, 110);
            if (rc == 0) {
                rc = (int) LISTEN.handle().invokeExact(cs, fd, 16);
            }
            if (rc < 0) {
                int e = errnoOf(cs);
                close(fd);
                throw new SysException("bind/listen", path, e);
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int accept(int listeningFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int fd;
            do {
                fd = (int) ACCEPT4.handle().invokeExact(cs, listeningFd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
            } while (fd < 0 && errnoOf(cs) == Errno.EINTR);
            if (fd < 0) throw new SysException("accept4", null, errnoOf(cs));
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // struct msghdr { void *name; socklen_t namelen; struct iovec *iov; size_t iovlen;
    //                 void *control; size_t controllen; int flags; } — 56 bytes on x86_64.
    private static MemorySegment msghdr(Arena a, MemorySegment data, MemorySegment control) {
        MemorySegment iov = a.allocate(16);
        iov.set(ADDRESS, 0, data);
        iov.set(JAVA_LONG, 8, data.byteSize());
        MemorySegment msg = a.allocate(56);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1L);
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, control.byteSize());
        return msg;
    }

    @Override
    public Received recvWithFd(int sock, int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment data = a.allocate(Math.max(1, max));
            MemorySegment control = a.allocate(24); // CMSG_SPACE(sizeof(int))
            MemorySegment msg = msghdr(a, data, control);
            long n;
            do {
                n = (long) RECVMSG.handle().invokeExact(cs, sock, msg, MSG_CMSG_CLOEXEC);
            } while (n < 0 && errnoOf(cs) == Errno.EINTR);
            if (n < 0) throw new SysException("recvmsg", "fd " + sock, errnoOf(cs));
            int fd = -1;
            long controllen = msg.get(JAVA_LONG, 40);
            if (controllen >= 20 && control.get(JAVA_INT, 8) == SOL_SOCKET && control.get(JAVA_INT, 12) == SCM_RIGHTS) {
                fd = control.get(JAVA_INT, 16);
            }
            byte[] out = new byte[(int) n];
            MemorySegment.copy(data, JAVA_BYTE, 0, out, 0, (int) n);
            return new Received(out, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void sendWithFd(int sock, byte[] payload, int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment data = a.allocate(Math.max(1, payload.length));
            MemorySegment.copy(payload, 0, data, JAVA_BYTE, 0, payload.length);
            MemorySegment control = a.allocate(24);
            control.set(JAVA_LONG, 0, 20L); // CMSG_LEN(sizeof(int))
            control.set(JAVA_INT, 8, SOL_SOCKET);
            control.set(JAVA_INT, 12, SCM_RIGHTS);
            control.set(JAVA_INT, 16, fd);
            MemorySegment msg = msghdr(a, data.asSlice(0, Math.max(1, payload.length)), control);
            long n = (long) SENDMSG.handle().invokeExact(cs, sock, msg, MSG_NOSIGNAL);
            if (n < 0) throw new SysException("sendmsg", "fd " + sock, errnoOf(cs));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment cStringArray(Arena a, List<String> items) {
        MemorySegment arr = a.allocate(ADDRESS, items.size() + 1L);
        for (int i = 0; i < items.size(); i++) arr.setAtIndex(ADDRESS, i, a.allocateFrom(items.get(i)));
        arr.setAtIndex(ADDRESS, items.size(), MemorySegment.NULL);
        return arr;
    }

    @Override
    public int spawn(SpawnRequest req) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fa = a.allocate(80);   // sizeof(posix_spawn_file_actions_t)
            MemorySegment attr = a.allocate(336); // sizeof(posix_spawnattr_t)
            check("posix_spawn_file_actions_init", (int) FA_INIT.handle().invokeExact(fa));
            check("posix_spawnattr_init", (int) ATTR_INIT.handle().invokeExact(attr));
            try {
                int maxTarget = 2;
                for (Map.Entry<Integer, Integer> e : req.fds().entrySet()) {
                    check("posix_spawn_file_actions_adddup2",
                            (int) FA_DUP2.handle().invokeExact(fa, (int) e.getValue(), (int) e.getKey()));
                    maxTarget = Math.max(maxTarget, e.getKey());
                }
                check("posix_spawn_file_actions_addclosefrom_np", (int) FA_CLOSEFROM.handle().invokeExact(fa, maxTarget + 1));
                // glibc's sigfillset leaves out the two signals it reserves for itself (32, 33):
                // set every bit by hand so the child starts with all 64 at their defaults.
                MemorySegment all = a.allocate(128);
                all.set(JAVA_LONG, 0, -1L);
                MemorySegment none = a.allocate(128);
                check("posix_spawnattr_setsigdefault", (int) ATTR_SETSIGDEFAULT.handle().invokeExact(attr, all));
                check("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.handle().invokeExact(attr, none));
                check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.handle().invokeExact(attr,
                        (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
                MemorySegment pid = a.allocate(JAVA_INT);
                int rc = (int) SPAWN.handle().invokeExact(pid, a.allocateFrom(req.path()), fa, attr,
                        cStringArray(a, req.argv()), cStringArray(a, req.env()));
                // posix_spawn returns the error number instead of setting errno.
                if (rc != 0) throw new SysException("posix_spawn", req.path(), rc);
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) FA_DESTROY.handle().invokeExact(fa);
                ignored = (int) ATTR_DESTROY.handle().invokeExact(attr);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void check(String call, int rc) {
        if (rc != 0) throw new SysException(call, null, rc);
    }

    @Override
    public int pidfdOpen(int pid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            long fd = (long) SYSCALL_II.handle().invokeExact(cs, SYS_PIDFD_OPEN, pid, 0);
            if (fd < 0) throw new SysException("pidfd_open", "pid " + pid, errnoOf(cs));
            return (int) fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void pidfdSendSignal(int pidfd, int signal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            long rc = (long) SYSCALL_IIAI.handle().invokeExact(cs, SYS_PIDFD_SEND_SIGNAL, pidfd, signal, MemorySegment.NULL, 0);
            if (rc < 0) throw new SysException("pidfd_send_signal", "signal " + signal, errnoOf(cs));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void kill(int pid, int signal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int rc = (int) KILL.handle().invokeExact(cs, pid, signal);
            if (rc < 0) throw new SysException("kill", "pid " + pid, errnoOf(cs));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public ExitStatus waitPidfd(int pidfd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment info = a.allocate(128); // siginfo_t
            int rc;
            do {
                rc = (int) WAITID.handle().invokeExact(cs, P_PIDFD, pidfd, info, WEXITED);
            } while (rc < 0 && errnoOf(cs) == Errno.EINTR);
            if (rc < 0) throw new SysException("waitid", "pidfd " + pidfd, errnoOf(cs));
            int code = info.get(JAVA_INT, 8);    // si_code
            int status = info.get(JAVA_INT, 24); // si_status
            return code == CLD_EXITED ? ExitStatus.exited(status) : ExitStatus.killedBy(status);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // PIDFD_GET_INFO (include/uapi/linux/pidfd.h, Linux 6.13) is _IOWR(0xFF, 11, struct pidfd_info):
    // the request number encodes the size of the caller's struct, and the kernel accepts any size
    // from PIDFD_INFO_SIZE_VER0 (64 bytes) up, copying what both sides know (pidfd_info() in
    // fs/pidfs.c). Version 0 already ends with exit_code, all we read: __u64 mask at 0, __u64
    // cgroupid at 8, eleven __u32 ids (pid … fsgid) at 16–59, __s32 exit_code at 60.
    // PIDFD_INFO_EXIT came in 6.15 (commits 4513522984a0 "pidfs: record exit code and cgroupid
    // at exit" and 7477d7dce48a "pidfs: allow to retrieve exit information"): release_task()
    // stores the reaped task's exit_code, in wait(2)'s encoding, with the pid's pidfs inode when
    // a pidfd refers to it, and the ioctl reports it (mask bit set) even after the task is gone.
    private static final int PIDFD_INFO_SIZE_VER0 = 64, PIDFD_INFO_EXIT_CODE = 60;
    private static final long PIDFD_GET_INFO = (3L << 30) | ((long) PIDFD_INFO_SIZE_VER0 << 16) | (0xFFL << 8) | 11;
    private static final long PIDFD_INFO_PID = 1L << 0, PIDFD_INFO_EXIT = 1L << 3;

    @Override
    public PidfdExit pidfdExit(int pidfd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment info = a.allocate(PIDFD_INFO_SIZE_VER0, 8);
            info.set(JAVA_LONG, 0, PIDFD_INFO_EXIT);
            int rc = (int) IOCTL_PTR.handle().invokeExact(cs, pidfd, PIDFD_GET_INFO, info);
            if (rc < 0) {
                int errno = errnoOf(cs);
                // ENOTTY: no PIDFD_GET_INFO (before 6.13). ESRCH: the task is gone and the kernel
                // kept nothing (6.13 and 6.14 know no PIDFD_INFO_EXIT). EINVAL: a kernel that
                // refuses this struct size.
                if (errno == Errno.ENOTTY || errno == Errno.ESRCH || errno == Errno.EINVAL) {
                    return new PidfdExit.Unknown();
                }
                throw new SysException("ioctl PIDFD_GET_INFO", "pidfd " + pidfd, errno);
            }
            long mask = info.get(JAVA_LONG, 0);
            if ((mask & PIDFD_INFO_EXIT) != 0) {
                return new PidfdExit.Known(ExitStatus.ofWaitStatus(info.get(JAVA_INT, PIDFD_INFO_EXIT_CODE)));
            }
            // PIDFD_INFO_PID is set whenever the task still exists (running, or a zombie not yet
            // reaped); without it the task is gone and no exit status was kept for this pidfd.
            return (mask & PIDFD_INFO_PID) != 0 ? new PidfdExit.NotYet() : new PidfdExit.Unknown();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int poll(int fd, short events, int timeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment pfd = a.allocate(8);
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(JAVA_SHORT, 4, events);
            int rc;
            do {
                rc = (int) POLL.handle().invokeExact(cs, pfd, 1L, timeoutMillis);
            } while (rc < 0 && errnoOf(cs) == Errno.EINTR);
            if (rc < 0) throw new SysException("poll", "fd " + fd, errnoOf(cs));
            return rc == 0 ? 0 : pfd.get(JAVA_SHORT, 6) & 0xffff;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int rc = (int) MKFIFO.handle().invokeExact(cs, a.allocateFrom(path), mode);
            if (rc < 0) throw new SysException("mkfifo", path, errnoOf(cs));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment ws = a.allocate(8);
            ws.set(JAVA_SHORT, 0, (short) rows);
            ws.set(JAVA_SHORT, 2, (short) cols);
            int rc = (int) IOCTL_PTR.handle().invokeExact(cs, fd, TIOCSWINSZ, ws);
            if (rc < 0) throw new SysException("ioctl TIOCSWINSZ", "fd " + fd, errnoOf(cs));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getpid() {
        try {
            return (int) GETPID.handle().invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final int PR_SET_CHILD_SUBREAPER = 36;

    @Override
    public void setChildSubreaper() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            int rc = (int) PRCTL.handle().invokeExact(cs, PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
            if (rc < 0) throw new SysException("prctl(PR_SET_CHILD_SUBREAPER)", null, errnoOf(cs));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // File-system calls relative to directory fds.

    private static final long SYS_OPENAT2 = 437;
    private static final int ENODATA = 61, EOPNOTSUPP = 95;
    private static final int XATTR_MAX = 65536;

    private static final Downcall OPENAT = errnoVariadic("openat", 3, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall SYSCALL_LAAL = errnoVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final Downcall MKDIRAT = errno("mkdirat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall MKNODAT = errno("mknodat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private static final Downcall SYMLINKAT = errno("symlinkat", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    private static final Downcall LINKAT = errno("linkat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall UNLINKAT = errno("unlinkat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall FCHOWNAT = errno("fchownat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall FCHOWN = errno("fchown", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall FCHMODAT = errno("fchmodat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall FCHMOD = errno("fchmod", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall UTIMENSAT = errno("utimensat", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final Downcall FUTIMENS = errno("futimens", JAVA_INT, JAVA_INT, ADDRESS);
    private static final Downcall FSTATAT = errno("fstatat", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final Downcall FSETXATTR = errno("fsetxattr", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall LSETXATTR = errno("lsetxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall LGETXATTR = errno("lgetxattr", JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    private static final Downcall LLISTXATTR = errno("llistxattr", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final Downcall MOUNT = errno("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final Downcall UMOUNT2 = errno("umount2", JAVA_INT, ADDRESS, JAVA_INT);

    /** One downcall given an arena for its arguments and the errno capture segment; returns its result. */
    @FunctionalInterface
    private interface Native {
        long invoke(Arena a, MemorySegment capture) throws Throwable;
    }

    /** Runs {@code n}; a negative result becomes a {@link SysException} naming call and subject. */
    private static long checked(String call, String subject, Native n) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            long rc = n.invoke(a, cs);
            if (rc < 0) throw new SysException(call, subject, errnoOf(cs));
            return rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** struct timespec[2] {atime, mtime}, both set to the same instant. */
    private static MemorySegment sameTimes(Arena a, long seconds, int nanos) {
        MemorySegment ts = a.allocate(32, 8);
        ts.set(JAVA_LONG, 0, seconds);
        ts.set(JAVA_LONG, 8, nanos);
        ts.set(JAVA_LONG, 16, seconds);
        ts.set(JAVA_LONG, 24, nanos);
        return ts;
    }

    private static MemorySegment bytes(Arena a, byte[] value) {
        MemorySegment v = a.allocate(Math.max(1, value.length));
        MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
        return v;
    }

    @Override
    public int openat(int dirfd, String path, int flags, int mode) {
        return (int) checked("openat", path, (a, cs) ->
                (int) OPENAT.handle().invokeExact(cs, dirfd, a.allocateFrom(path), flags | O_CLOEXEC, mode));
    }

    @Override
    public int openat2(int dirfd, String path, int flags, long resolve) {
        return (int) checked("openat2", path, (a, cs) -> {
            MemorySegment how = a.allocate(24, 8); // struct open_how {u64 flags, mode, resolve}
            how.set(JAVA_LONG, 0, (long) (flags | O_CLOEXEC));
            how.set(JAVA_LONG, 16, resolve);
            // dirfd as a long: syscall(2) passes 64-bit registers, and AT_FDCWD is negative.
            return (long) SYSCALL_LAAL.handle().invokeExact(cs, SYS_OPENAT2, (long) dirfd, a.allocateFrom(path), how, 24L);
        });
    }

    @Override
    public void mkdirat(int dirfd, String name, int mode) {
        checked("mkdirat", name, (a, cs) -> (int) MKDIRAT.handle().invokeExact(cs, dirfd, a.allocateFrom(name), mode));
    }

    @Override
    public void mknodat(int dirfd, String name, int mode, long dev) {
        checked("mknodat", name, (a, cs) -> (int) MKNODAT.handle().invokeExact(cs, dirfd, a.allocateFrom(name), mode, dev));
    }

    @Override
    public void symlinkat(String target, int dirfd, String name) {
        checked("symlinkat", name, (a, cs) ->
                (int) SYMLINKAT.handle().invokeExact(cs, a.allocateFrom(target), dirfd, a.allocateFrom(name)));
    }

    @Override
    public void linkat(int olddirfd, String oldName, int newdirfd, String newName) {
        checked("linkat", newName, (a, cs) -> (int) LINKAT.handle().invokeExact(cs, olddirfd, a.allocateFrom(oldName),
                newdirfd, a.allocateFrom(newName), 0));
    }

    @Override
    public void unlinkat(int dirfd, String name, int flags) {
        checked("unlinkat", name, (a, cs) -> (int) UNLINKAT.handle().invokeExact(cs, dirfd, a.allocateFrom(name), flags));
    }

    @Override
    public void fchownat(int dirfd, String name, int uid, int gid, int flags) {
        checked("fchownat", name, (a, cs) ->
                (int) FCHOWNAT.handle().invokeExact(cs, dirfd, a.allocateFrom(name), uid, gid, flags));
    }

    @Override
    public void fchown(int fd, int uid, int gid) {
        checked("fchown", "fd " + fd, (a, cs) -> (int) FCHOWN.handle().invokeExact(cs, fd, uid, gid));
    }

    @Override
    public void fchmodat(int dirfd, String name, int mode) {
        checked("fchmodat", name, (a, cs) -> (int) FCHMODAT.handle().invokeExact(cs, dirfd, a.allocateFrom(name), mode, 0));
    }

    @Override
    public void fchmod(int fd, int mode) {
        checked("fchmod", "fd " + fd, (a, cs) -> (int) FCHMOD.handle().invokeExact(cs, fd, mode));
    }

    @Override
    public void utimensat(int dirfd, String name, long seconds, int nanos, int flags) {
        checked("utimensat", name, (a, cs) ->
                (int) UTIMENSAT.handle().invokeExact(cs, dirfd, a.allocateFrom(name), sameTimes(a, seconds, nanos), flags));
    }

    @Override
    public void futimens(int fd, long seconds, int nanos) {
        checked("futimens", "fd " + fd, (a, cs) -> (int) FUTIMENS.handle().invokeExact(cs, fd, sameTimes(a, seconds, nanos)));
    }

    @Override
    public FileStat fstatat(int dirfd, String name, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment st = a.allocate(144, 8); // struct stat on x86_64
            int rc = (int) FSTATAT.handle().invokeExact(cs, dirfd, a.allocateFrom(name), st, flags);
            if (rc < 0) throw new SysException("fstatat", name, errnoOf(cs));
            return new FileStat(st.get(JAVA_INT, 24), st.get(JAVA_INT, 28), st.get(JAVA_INT, 32), st.get(JAVA_LONG, 40),
                    st.get(JAVA_LONG, 48), st.get(JAVA_LONG, 8), st.get(JAVA_LONG, 16));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void fsetxattr(int fd, String name, byte[] value) {
        checked("fsetxattr " + name, "fd " + fd, (a, cs) -> (int) FSETXATTR.handle().invokeExact(cs, fd,
                a.allocateFrom(name), bytes(a, value), (long) value.length, 0));
    }

    @Override
    public void lsetxattr(String path, String name, byte[] value) {
        checked("lsetxattr " + name, path, (a, cs) -> (int) LSETXATTR.handle().invokeExact(cs, a.allocateFrom(path),
                a.allocateFrom(name), bytes(a, value), (long) value.length, 0));
    }

    @Override
    public byte[] lgetxattr(String path, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(XATTR_MAX);
            long n = (long) LGETXATTR.handle().invokeExact(cs, a.allocateFrom(path), a.allocateFrom(name), buf, (long) XATTR_MAX);
            if (n >= 0) return buf.asSlice(0, n).toArray(JAVA_BYTE);
            if (errnoOf(cs) == ENODATA) return null;
            throw new SysException("lgetxattr " + name, path, errnoOf(cs));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public List<String> llistxattr(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(XATTR_MAX);
            long n = (long) LLISTXATTR.handle().invokeExact(cs, a.allocateFrom(path), buf, (long) XATTR_MAX);
            if (n < 0) {
                if (errnoOf(cs) == EOPNOTSUPP || errnoOf(cs) == ENODATA) return List.of();
                throw new SysException("llistxattr", path, errnoOf(cs));
            }
            // The names follow each other, each ended by a NUL.
            List<String> names = new java.util.ArrayList<>();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf.get(JAVA_BYTE, i) == 0) {
                    names.add(new String(buf.asSlice(start, i - start).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return names;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        checked(fstype == null ? "mount" : "mount " + fstype, target, (a, cs) -> {
            MemorySegment type = fstype == null ? MemorySegment.NULL : a.allocateFrom(fstype);
            MemorySegment options = data == null ? MemorySegment.NULL : a.allocateFrom(data);
            return (int) MOUNT.handle().invokeExact(cs, a.allocateFrom(source), a.allocateFrom(target), type, flags, options);
        });
    }

    @Override
    public void umount2(String target, int flags) {
        checked("umount2", target, (a, cs) -> (int) UMOUNT2.handle().invokeExact(cs, a.allocateFrom(target), flags));
    }

    @Override
    public void writeFully(int fd, MemorySegment data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            long done = 0;
            while (done < data.byteSize()) {
                long n = (long) WRITE.handle().invokeExact(cs, fd, data.asSlice(done), data.byteSize() - done);
                if (n < 0) {
                    if (errnoOf(cs) == Errno.EINTR) continue;
                    throw new SysException("write", "fd " + fd, errnoOf(cs));
                }
                done += n;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final long TIOCGWINSZ = 0x5413;
    private static final int TERMIOS_SIZE = 60, TCSANOW = 0;
    private static final Downcall ISATTY = plain("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final Downcall TCGETATTR = errno("tcgetattr", JAVA_INT, JAVA_INT, ADDRESS);
    private static final Downcall TCSETATTR = errno("tcsetattr", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final Downcall CFMAKERAW = plain("cfmakeraw", FunctionDescriptor.ofVoid(ADDRESS));

    @Override
    public boolean isatty(int fd) {
        try {
            return (int) ISATTY.handle().invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int[] windowSize(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment ws = a.allocate(8);
            int rc = (int) IOCTL_PTR.handle().invokeExact(cs, fd, TIOCGWINSZ, ws);
            if (rc < 0) throw new SysException("ioctl TIOCGWINSZ", "fd " + fd, errnoOf(cs));
            return new int[] {ws.get(JAVA_SHORT, 0) & 0xffff, ws.get(JAVA_SHORT, 2) & 0xffff};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public byte[] makeRaw(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment t = a.allocate(TERMIOS_SIZE);
            if ((int) TCGETATTR.handle().invokeExact(cs, fd, t) < 0) {
                throw new SysException("tcgetattr", "fd " + fd, errnoOf(cs));
            }
            byte[] saved = t.toArray(JAVA_BYTE);
            CFMAKERAW.handle().invokeExact(t);
            if ((int) TCSETATTR.handle().invokeExact(cs, fd, TCSANOW, t) < 0) {
                throw new SysException("tcsetattr", "fd " + fd, errnoOf(cs));
            }
            return saved;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void restoreTerminal(int fd, byte[] settings) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(CAPTURE);
            MemorySegment t = a.allocate(TERMIOS_SIZE);
            MemorySegment.copy(settings, 0, t, JAVA_BYTE, 0, TERMIOS_SIZE);
            if ((int) TCSETATTR.handle().invokeExact(cs, fd, TCSANOW, t) < 0) {
                throw new SysException("tcsetattr", "fd " + fd, errnoOf(cs));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
