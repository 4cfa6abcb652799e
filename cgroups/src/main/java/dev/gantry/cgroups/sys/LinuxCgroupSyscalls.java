package dev.gantry.cgroups.sys;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@link CgroupSyscalls} on Linux x86_64 through the Foreign Function &amp; Memory API.
 * errno is captured with {@code Linker.Option.captureCallState}; {@code bpf(2)} has no glibc
 * wrapper and goes through {@code syscall(2)}.
 */
public final class LinuxCgroupSyscalls implements CgroupSyscalls {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final short POLLIN = 1;
    private static final int EINTR = 4;
    private static final long MS_REMOUNT = 32;
    private static final long SYS_BPF = 321;
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_DETACH = 9;
    private static final int BPF_PROG_GET_FD_BY_ID = 13;
    private static final int BPF_PROG_QUERY = 16;
    /** Larger than every bpf_attr variant used here; the kernel requires the tail to be zero. */
    private static final int BPF_ATTR_SIZE = 128;
    private static final int VERIFIER_LOG_SIZE = 1 << 16;
    private static final int MAX_QUERIED_PROGRAMS = 64;

    /**
     * The linker and downcall handles, made when a cgroup operation first needs one: linking
     * costs start-up time, and commands that only read cgroup files never need them.
     */
    private static final class Native {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO =
                CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

        static final MethodHandle OPEN = errnoHandle("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
        static final MethodHandle CLOSE = errnoHandle("close",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
        static final MethodHandle EVENTFD = errnoHandle("eventfd",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);
        static final MethodHandle READ = errnoHandle("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
        static final MethodHandle WRITE = errnoHandle("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
        static final MethodHandle POLL = errnoHandle("poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
        static final MethodHandle SYSCALL = errnoHandle("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG), 1);
        static final MethodHandle MOUNT = errnoHandle("mount",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), -1);
        static final MethodHandle STRERROR = LINKER.downcallHandle(
                LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

        static MethodHandle errnoHandle(String name, FunctionDescriptor descriptor, int firstVariadic) {
            MemorySegment symbol = LIBC.find(name).orElseThrow();
            Linker.Option capture = Linker.Option.captureCallState("errno");
            return firstVariadic < 0
                    ? LINKER.downcallHandle(symbol, descriptor, capture)
                    : LINKER.downcallHandle(symbol, descriptor, capture, Linker.Option.firstVariadicArg(firstVariadic));
        }
    }

    @Override
    public int openDirectory(Path dir) {
        return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }

    @Override
    public int openReadOnly(Path file) {
        return open(file, O_RDONLY | O_CLOEXEC);
    }

    private int open(Path path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            int fd = (int) Native.OPEN.invokeExact(state, arena.allocateFrom(path.toString()), flags, 0);
            if (fd < 0) {
                throw failure("open(" + path + ")", errno(state));
            }
            return fd;
        } catch (GantryException e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFault("open", t);
        }
    }

    @Override
    public void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            int rc = (int) Native.CLOSE.invokeExact(state, fd);
            if (rc < 0) {
                throw failure("close(" + fd + ")", errno(state));
            }
        } catch (GantryException e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFault("close", t);
        }
    }

    @Override
    public int eventfd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            int fd = (int) Native.EVENTFD.invokeExact(state, 0, EFD_CLOEXEC);
            if (fd < 0) {
                throw failure("eventfd", errno(state));
            }
            return fd;
        } catch (GantryException e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFault("eventfd", t);
        }
    }

    @Override
    public long readEventfd(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            MemorySegment counter = arena.allocate(JAVA_LONG);
            while (true) {
                long n = (long) Native.READ.invokeExact(state, fd, counter, 8L);
                if (n == 8) {
                    return counter.get(JAVA_LONG, 0);
                }
                if (n >= 0 || errno(state) != EINTR) {
                    throw failure("read(eventfd " + fd + ")", n < 0 ? errno(state) : 0);
                }
            }
        } catch (GantryException e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFault("read", t);
        }
    }

    @Override
    public void signalEventfd(int fd, long value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            MemorySegment counter = arena.allocateFrom(JAVA_LONG, value);
            long n = (long) Native.WRITE.invokeExact(state, fd, counter, 8L);
            if (n != 8) {
                throw failure("write(eventfd " + fd + ")", n < 0 ? errno(state) : 0);
            }
        } catch (GantryException e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFault("write", t);
        }
    }

    @Override
    public void remount(Path mountPoint, long flags, String options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            int rc = (int) Native.MOUNT.invokeExact(state, MemorySegment.NULL, arena.allocateFrom(mountPoint.toString()),
                    MemorySegment.NULL, MS_REMOUNT | flags, arena.allocateFrom(options));
            if (rc < 0) {
                throw failure("mount(" + mountPoint + ", MS_REMOUNT, \"" + options + "\")", errno(state));
            }
        } catch (GantryException e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFault("mount", t);
        }
    }

    @Override
    public List<Integer> pollReadable(List<Integer> fds, Duration timeout) {
        // struct pollfd { int fd; short events; short revents; }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            MemorySegment pollfds = arena.allocate(8L * fds.size(), 4);
            for (int i = 0; i < fds.size(); i++) {
                pollfds.set(JAVA_INT, 8L * i, fds.get(i));
                pollfds.set(JAVA_SHORT, 8L * i + 4, POLLIN);
            }
            int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
            int rc = (int) Native.POLL.invokeExact(state, pollfds, (long) fds.size(), millis);
            if (rc < 0) {
                if (errno(state) == EINTR) {
                    return List.of();
                }
                throw failure("poll", errno(state));
            }
            List<Integer> ready = new ArrayList<>();
            for (int i = 0; i < fds.size(); i++) {
                if (pollfds.get(JAVA_SHORT, 8L * i + 6) != 0) {
                    ready.add(fds.get(i));
                }
            }
            return ready;
        } catch (GantryException e) {
            throw e;
        } catch (Throwable t) {
            throw downcallFault("poll", t);
        }
    }

    @Override
    public int bpfProgramLoad(int programType, byte[] instructions, String license) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocate(instructions.length, 8);
            MemorySegment.copy(MemorySegment.ofArray(instructions), 0, insns, 0, instructions.length);
            MemorySegment licenseString = arena.allocateFrom(license);
            MemorySegment attr = arena.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, programType);
            attr.set(JAVA_INT, 4, instructions.length / 8);
            attr.set(JAVA_LONG, 8, insns.address());
            attr.set(JAVA_LONG, 16, licenseString.address());
            MemorySegment state = arena.allocate(Native.CAPTURE);
            long fd = bpf(state, BPF_PROG_LOAD, attr);
            if (fd >= 0) {
                return (int) fd;
            }
            int firstErrno = errno(state);
            // Load again with the verifier's log switched on, only to explain the refusal.
            MemorySegment log = arena.allocate(VERIFIER_LOG_SIZE);
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, VERIFIER_LOG_SIZE);
            attr.set(JAVA_LONG, 32, log.address());
            long retry = bpf(state, BPF_PROG_LOAD, attr);
            if (retry >= 0) {
                return (int) retry;
            }
            String verifier = log.getString(0, StandardCharsets.US_ASCII).strip();
            throw new GantryException(kindOf(firstErrno), "bpf(BPF_PROG_LOAD) failed: "
                    + describe(firstErrno) + (verifier.isEmpty() ? "" : "; verifier: " + verifier));
        }
    }

    @Override
    public void bpfProgramAttach(int cgroupFd, int programFd, int attachType, int flags) {
        attachOrDetach(BPF_PROG_ATTACH, "bpf(BPF_PROG_ATTACH)", cgroupFd, programFd, attachType, flags);
    }

    @Override
    public void bpfProgramDetach(int cgroupFd, int programFd, int attachType) {
        attachOrDetach(BPF_PROG_DETACH, "bpf(BPF_PROG_DETACH)", cgroupFd, programFd, attachType, 0);
    }

    private void attachOrDetach(int command, String call, int cgroupFd, int programFd, int attachType, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, cgroupFd);
            attr.set(JAVA_INT, 4, programFd);
            attr.set(JAVA_INT, 8, attachType);
            attr.set(JAVA_INT, 12, flags);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            if (bpf(state, command, attr) < 0) {
                throw failure(call, errno(state));
            }
        }
    }

    @Override
    public List<Integer> bpfProgramQuery(int cgroupFd, int attachType) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ids = arena.allocate(4L * MAX_QUERIED_PROGRAMS, 4);
            MemorySegment attr = arena.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, cgroupFd);
            attr.set(JAVA_INT, 4, attachType);
            attr.set(JAVA_LONG, 16, ids.address());
            attr.set(JAVA_INT, 24, MAX_QUERIED_PROGRAMS);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            if (bpf(state, BPF_PROG_QUERY, attr) < 0) {
                throw failure("bpf(BPF_PROG_QUERY)", errno(state));
            }
            int count = attr.get(JAVA_INT, 24);
            List<Integer> result = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                result.add(ids.get(JAVA_INT, 4L * i));
            }
            return result;
        }
    }

    @Override
    public int bpfProgramFdById(int id) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, id);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            long fd = bpf(state, BPF_PROG_GET_FD_BY_ID, attr);
            if (fd < 0) {
                throw failure("bpf(BPF_PROG_GET_FD_BY_ID " + id + ")", errno(state));
            }
            return (int) fd;
        }
    }

    private static long bpf(MemorySegment state, int command, MemorySegment attr) {
        try {
            return (long) Native.SYSCALL.invokeExact(state, SYS_BPF, (long) command, attr, attr.byteSize());
        } catch (Throwable t) {
            throw downcallFault("syscall(bpf)", t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) Native.ERRNO.get(state, 0L);
    }

    private static GantryException failure(String call, int errno) {
        return new GantryException(kindOf(errno), call + " failed: " + describe(errno));
    }

    private static String describe(int errno) {
        if (errno == 0) {
            return "short transfer";
        }
        try {
            MemorySegment text = (MemorySegment) Native.STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static ErrorKind kindOf(int errno) {
        return switch (errno) {
            case 1, 13 -> ErrorKind.PERMISSION_DENIED;
            case 2 -> ErrorKind.NOT_FOUND;
            case 17 -> ErrorKind.ALREADY_EXISTS;
            case 22 -> ErrorKind.INVALID_ARGUMENT;
            default -> ErrorKind.UNAVAILABLE;
        };
    }

    private static GantryException downcallFault(String call, Throwable t) {
        return new GantryException(ErrorKind.INTERNAL, "downcall " + call + " failed: " + t, t);
    }
}
