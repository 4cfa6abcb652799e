package dev.gantry.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few glibc calls the test kit needs that Java's own APIs do not offer: receiving a file
 * descriptor over a unix socket (SCM_RIGHTS, which {@code SocketChannel} cannot do), raw
 * read/write/poll on it, and lazy unmounts for cleaning up after a leaking runtime. Each call
 * captures errno and fails with the call's name and strerror.
 */
@SuppressWarnings("restricted") // native access is this class's purpose; surefire enables it
final class Libc {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    static final short POLLIN = 0x1;
    static final int MNT_DETACH = 2;
    static final int EINTR = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(StructLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle LISTEN = handle("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT4 = handle("accept4", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
    private static final MethodHandle RECVMSG = handle("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(INT, PTR, LONG, INT));
    private static final MethodHandle UMOUNT2 = handle("umount2", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(PTR, INT));

    private Libc() {
    }

    static int socket(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(errno, domain, type, protocol);
            return check(fd, errno, "socket");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void bind(int fd, MemorySegment address, int length, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int rc = (int) BIND.invokeExact(errno, fd, address, length);
            check(rc, errno, "bind " + what);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void listen(int fd, int backlog) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int rc = (int) LISTEN.invokeExact(errno, fd, backlog);
            check(rc, errno, "listen");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int accept(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int client = (int) ACCEPT4.invokeExact(errno, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
            return check(client, errno, "accept4");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long recvmsg(int fd, MemorySegment msghdr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            long n = (long) RECVMSG.invokeExact(errno, fd, msghdr, 0);
            return check(n, errno, "recvmsg");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long read(int fd, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            long n = (long) READ.invokeExact(errno, fd, buffer, buffer.byteSize());
            return check(n, errno, "read");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long write(int fd, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            long n = (long) WRITE.invokeExact(errno, fd, buffer, buffer.byteSize());
            return check(n, errno, "write");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int rc = (int) CLOSE.invokeExact(errno, fd);
            check(rc, errno, "close");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Waits until {@code fd} is readable; false on timeout. Retries on EINTR. */
    static boolean pollIn(int fd, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            // struct pollfd { int fd; short events; short revents; }
            MemorySegment pollfd = arena.allocate(8, 4);
            pollfd.set(INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            while (true) {
                int rc = (int) POLL.invokeExact(errno, pollfd, 1L, timeoutMillis);
                if (rc < 0 && (int) ERRNO.get(errno, 0L) == EINTR) {
                    continue;
                }
                return check(rc, errno, "poll") > 0;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** umount2(path, MNT_DETACH); returns the errno, 0 on success. */
    static int detach(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int rc = (int) UMOUNT2.invokeExact(errno, arena.allocateFrom(path), MNT_DETACH);
            return rc == 0 ? 0 : (int) ERRNO.get(errno, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int check(int rc, MemorySegment errno, String call) {
        if (rc < 0) {
            throw failure(errno, call);
        }
        return rc;
    }

    private static long check(long rc, MemorySegment errno, String call) {
        if (rc < 0) {
            throw failure(errno, call);
        }
        return rc;
    }

    private static NativeCallException failure(MemorySegment errno, String call) {
        int code = (int) ERRNO.get(errno, 0L);
        return new NativeCallException(code, call + ": " + strerror(code) + " (errno " + code + ")");
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), descriptor, CAPTURE_ERRNO);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
