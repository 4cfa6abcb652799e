package dev.gantry.snapshot.fs;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
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

/**
 * The handful of file-system system calls the snapshotter needs that Java's NIO cannot make
 * safely: *at(2) calls relative to a directory fd, openat2(2) with RESOLVE_BENEATH, mknod,
 * ownership without following symlinks, xattrs in any namespace, and mount(2). Downcalls
 * through FFM; errno is captured with each call. Every method throws {@link FsException} with
 * the failing call, path and errno name.
 */
public final class FsCalls {
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    public static final long RESOLVE_NO_XDEV = 0x01;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    public static final long RESOLVE_BENEATH = 0x08;
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final long MS_RDONLY = 1;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_REMOUNT = 32;
    public static final int MNT_DETACH = 2;
    private static final long SYS_OPENAT2 = 437;
    /** UTIME_OMIT leaves a timestamp unchanged (utimensat(2)). */
    private static final long UTIME_OMIT = (1L << 30) - 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout P = ValueLayout.ADDRESS;

    private static final MethodHandle OPENAT = h("openat", FunctionDescriptor.of(I, I, P, I, I), 3);
    private static final MethodHandle SYSCALL4 = h("syscall", FunctionDescriptor.of(L, L, L, P, P, L), 1);
    private static final MethodHandle CLOSE = h("close", FunctionDescriptor.of(I, I), -1);
    private static final MethodHandle MKDIRAT = h("mkdirat", FunctionDescriptor.of(I, I, P, I), -1);
    private static final MethodHandle MKNODAT = h("mknodat", FunctionDescriptor.of(I, I, P, I, L), -1);
    private static final MethodHandle SYMLINKAT = h("symlinkat", FunctionDescriptor.of(I, P, I, P), -1);
    private static final MethodHandle LINKAT = h("linkat", FunctionDescriptor.of(I, I, P, I, P, I), -1);
    private static final MethodHandle UNLINKAT = h("unlinkat", FunctionDescriptor.of(I, I, P, I), -1);
    private static final MethodHandle FCHOWNAT = h("fchownat", FunctionDescriptor.of(I, I, P, I, I, I), -1);
    private static final MethodHandle FCHOWN = h("fchown", FunctionDescriptor.of(I, I, I, I), -1);
    private static final MethodHandle FCHMODAT = h("fchmodat", FunctionDescriptor.of(I, I, P, I, I), -1);
    private static final MethodHandle FCHMOD = h("fchmod", FunctionDescriptor.of(I, I, I), -1);
    private static final MethodHandle UTIMENSAT = h("utimensat", FunctionDescriptor.of(I, I, P, P, I), -1);
    private static final MethodHandle FSTATAT = h("fstatat", FunctionDescriptor.of(I, I, P, P, I), -1);
    private static final MethodHandle LSETXATTR = h("lsetxattr", FunctionDescriptor.of(I, P, P, P, L, I), -1);
    private static final MethodHandle FSETXATTR = h("fsetxattr", FunctionDescriptor.of(I, I, P, P, L, I), -1);
    private static final MethodHandle LGETXATTR = h("lgetxattr", FunctionDescriptor.of(L, P, P, P, L), -1);
    private static final MethodHandle LLISTXATTR = h("llistxattr", FunctionDescriptor.of(L, P, P, L), -1);
    private static final MethodHandle WRITE = h("write", FunctionDescriptor.of(L, I, P, L), -1);
    private static final MethodHandle MOUNT = h("mount", FunctionDescriptor.of(I, P, P, P, L, P), -1);
    private static final MethodHandle UMOUNT2 = h("umount2", FunctionDescriptor.of(I, P, I), -1);

    private static MethodHandle h(String name, FunctionDescriptor fd, int firstVariadic) {
        MemorySegment addr = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name));
        Linker.Option capture = Linker.Option.captureCallState("errno");
        return firstVariadic < 0
                ? LINKER.downcallHandle(addr, fd, capture)
                : LINKER.downcallHandle(addr, fd, capture, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** File type and metadata from fstatat(2) (x86_64 struct stat offsets). */
    public record Stat(int mode, int uid, int gid, long rdev, long size, long ino, long nlink) {
        public int type() {
            return mode & S_IFMT;
        }

        public boolean isDirectory() {
            return type() == S_IFDIR;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static FsException fail(String call, String path, MemorySegment state) {
        return new FsException(call, path, errno(state));
    }

    private static MemorySegment str(Arena a, String s) {
        return a.allocateFrom(s, StandardCharsets.UTF_8);
    }

    /** openat(2); returns the new fd. */
    public int openat(int dirfd, String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) OPENAT.invokeExact(st, dirfd, str(a, path), flags | O_CLOEXEC, mode);
            if (fd < 0) {
                throw fail("openat", path, st);
            }
            return fd;
        } catch (FsException e) {
            throw e;
        } catch (Throwable t) {
            throw internal(t);
        }
    }

    /**
     * openat2(2) with {@code resolve} flags (struct open_how: flags, mode, resolve; 24 bytes).
     * With RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS the kernel refuses any path that would leave
     * {@code dirfd} or pass through a symlink, which is what makes extraction safe against
     * symlinked parents (CVE-2018-15664-style races included).
     */
    public int openat2(int dirfd, String path, int flags, long resolve) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment how = a.allocate(24, 8);
            how.set(L, 0, (long) (flags | O_CLOEXEC));
            how.set(L, 8, 0L);
            how.set(L, 16, resolve);
            long fd = (long) SYSCALL4.invokeExact(st, SYS_OPENAT2, (long) dirfd, str(a, path), how, 24L);
            if (fd < 0) {
                throw fail("openat2", path, st);
            }
            return (int) fd;
        } catch (FsException e) {
            throw e;
        } catch (Throwable t) {
            throw internal(t);
        }
    }

    public void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int unused = (int) CLOSE.invokeExact(st, fd);
        } catch (Throwable t) {
            throw internal(t);
        }
    }

    public void mkdirat(int dirfd, String name, int mode) {
        callPath("mkdirat", name, (a, st) -> (int) MKDIRAT.invokeExact(st, dirfd, str(a, name), mode));
    }

    public void mknodat(int dirfd, String name, int mode, long dev) {
        callPath("mknodat", name, (a, st) -> (int) MKNODAT.invokeExact(st, dirfd, str(a, name), mode, dev));
    }

    public void symlinkat(String target, int dirfd, String name) {
        callPath("symlinkat", name, (a, st) -> (int) SYMLINKAT.invokeExact(st, str(a, target), dirfd, str(a, name)));
    }

    /** linkat(2) without AT_SYMLINK_FOLLOW: links the named inode itself, even a symlink. */
    public void linkat(int olddirfd, String oldName, int newdirfd, String newName) {
        callPath("linkat", newName, (a, st) -> (int) LINKAT.invokeExact(st, olddirfd, str(a, oldName), newdirfd, str(a, newName), 0));
    }

    public void unlinkat(int dirfd, String name, int flags) {
        callPath("unlinkat", name, (a, st) -> (int) UNLINKAT.invokeExact(st, dirfd, str(a, name), flags));
    }

    public void fchownat(int dirfd, String name, int uid, int gid, int flags) {
        callPath("fchownat", name, (a, st) -> (int) FCHOWNAT.invokeExact(st, dirfd, str(a, name), uid, gid, flags));
    }

    public void fchown(int fd, int uid, int gid) {
        callPath("fchown", "fd " + fd, (a, st) -> (int) FCHOWN.invokeExact(st, fd, uid, gid));
    }

    public void fchmodat(int dirfd, String name, int mode) {
        callPath("fchmodat", name, (a, st) -> (int) FCHMODAT.invokeExact(st, dirfd, str(a, name), mode, 0));
    }

    public void fchmod(int fd, int mode) {
        callPath("fchmod", "fd " + fd, (a, st) -> (int) FCHMOD.invokeExact(st, fd, mode));
    }

    /** utimensat(2) setting atime and mtime; {@code name} empty is not allowed, use the parent fd. */
    public void utimensat(int dirfd, String name, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, int flags) {
        callPath("utimensat", name, (a, st) -> {
            MemorySegment ts = a.allocate(32, 8);
            ts.set(L, 0, atimeSec);
            ts.set(L, 8, atimeSec < 0 ? UTIME_OMIT : atimeNsec);
            ts.set(L, 16, mtimeSec);
            ts.set(L, 24, mtimeNsec);
            return (int) UTIMENSAT.invokeExact(st, dirfd, str(a, name), ts, flags);
        });
    }

    /** fstatat(2) with AT_SYMLINK_NOFOLLOW; null when the name does not exist. */
    public Stat lstatat(int dirfd, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(144, 8);
            int r = (int) FSTATAT.invokeExact(st, dirfd, str(a, name), buf, AT_SYMLINK_NOFOLLOW);
            if (r < 0) {
                if (errno(st) == 2) {
                    return null;
                }
                throw fail("fstatat", name, st);
            }
            return new Stat(buf.get(I, 24), buf.get(I, 28), buf.get(I, 32), buf.get(L, 40), buf.get(L, 48),
                    buf.get(L, 8), buf.get(L, 16));
        } catch (FsException e) {
            throw e;
        } catch (Throwable t) {
            throw internal(t);
        }
    }

    /** lsetxattr(2) on a path (used with {@code /proc/self/fd/<dirfd>/<name>} for non-files). */
    public void lsetxattr(String path, String name, byte[] value) {
        callPath("lsetxattr " + name, path, (a, st) -> {
            MemorySegment v = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            return (int) LSETXATTR.invokeExact(st, str(a, path), str(a, name), v, (long) value.length, 0);
        });
    }

    public void fsetxattr(int fd, String name, byte[] value) {
        callPath("fsetxattr " + name, "fd " + fd, (a, st) -> {
            MemorySegment v = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            return (int) FSETXATTR.invokeExact(st, fd, str(a, name), v, (long) value.length, 0);
        });
    }

    /** Names of the extended attributes of {@code path} (not following a final symlink). */
    public java.util.List<String> llistxattr(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(65536);
            long n = (long) LLISTXATTR.invokeExact(st, str(a, path), buf, 65536L);
            if (n < 0) {
                int e = errno(st);
                if (e == 95 || e == 61) {
                    return java.util.List.of();
                }
                throw fail("llistxattr", path, st);
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf.get(ValueLayout.JAVA_BYTE, i) == 0) {
                    names.add(new String(buf.asSlice(start, i - start).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return names;
        } catch (FsException e) {
            throw e;
        } catch (Throwable t) {
            throw internal(t);
        }
    }

    /** The value of xattr {@code name} of {@code path}; null when absent. */
    public byte[] lgetxattr(String path, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(65536);
            long n = (long) LGETXATTR.invokeExact(st, str(a, path), str(a, name), buf, 65536L);
            if (n < 0) {
                if (errno(st) == 61) {
                    return null;
                }
                throw fail("lgetxattr " + name, path, st);
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (FsException e) {
            throw e;
        } catch (Throwable t) {
            throw internal(t);
        }
    }

    /** write(2) of all {@code len} bytes of {@code buf}, looping on short writes. */
    public void writeFully(int fd, MemorySegment buf, long len) {
        long done = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            while (done < len) {
                long n = (long) WRITE.invokeExact(st, fd, buf.asSlice(done), len - done);
                if (n < 0) {
                    if (errno(st) == 4) {
                        continue;
                    }
                    throw fail("write", "fd " + fd, st);
                }
                done += n;
            }
        } catch (FsException e) {
            throw e;
        } catch (Throwable t) {
            throw internal(t);
        }
    }

    /** mount(2); {@code data} may be null. */
    public void mount(String source, String target, String fstype, long flags, String data) {
        callPath("mount " + fstype, target, (a, st) -> {
            MemorySegment type = fstype == null ? MemorySegment.NULL : str(a, fstype);
            MemorySegment options = data == null ? MemorySegment.NULL : str(a, data);
            return (int) MOUNT.invokeExact(st, str(a, source), str(a, target), type, flags, options);
        });
    }

    public void umount2(String target, int flags) {
        callPath("umount2", target, (a, st) -> (int) UMOUNT2.invokeExact(st, str(a, target), flags));
    }

    /** glibc's makedev(3) encoding of a device number. */
    public static long makedev(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    public static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    public static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }

    @FunctionalInterface
    private interface Call {
        int invoke(Arena a, MemorySegment state) throws Throwable;
    }

    private static void callPath(String call, String path, Call c) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            if (c.invoke(a, st) < 0) {
                throw fail(call, path, st);
            }
        } catch (FsException e) {
            throw e;
        } catch (Throwable t) {
            throw internal(t);
        }
    }

    private static GantryException internal(Throwable t) {
        return new GantryException(ErrorKind.INTERNAL, "native call failed: " + t, t);
    }
}
