package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The receiving end of {@code --console-socket}: a listening unix stream socket on which the
 * runtime connects and sends the pty master as SCM_RIGHTS ancillary data (unix(7), cmsg(3)).
 * Java's {@code SocketChannel} cannot receive descriptors, hence the FFM calls.
 */
public final class ConsoleSocket implements AutoCloseable {
    private static final int SUN_PATH_MAX = 108;
    private static final int MSGHDR_SIZE = 56;
    private static final int CONTROL_SIZE = 64;
    private static final int PAYLOAD_SIZE = 4096;
    private static final int SENDER_CHECK_MILLIS = 50;

    private final Path path;
    private final int fd;
    private boolean closed;

    private ConsoleSocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Binds and listens on {@code path} (which must not exist; at most 107 bytes long). */
    public static ConsoleSocket listen(Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_MAX) {
            throw new IllegalArgumentException("console socket path longer than 107 bytes: " + path);
        }
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            // struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
            MemorySegment address = arena.allocate(2 + SUN_PATH_MAX, 2);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_UNIX);
            MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, 2, name.length);
            Libc.bind(fd, address, 2 + name.length + 1, path.toString());
            Libc.listen(fd, 4);
            return new ConsoleSocket(path, fd);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Waits for the runtime to connect and send the pty master; fails after {@code timeout}. */
    public PtyMaster accept(Duration timeout) {
        return accept(timeout, null);
    }

    /**
     * Waits for {@code sender} (the runtime invocation given this socket) to connect and send
     * the pty master. Fails as soon as the sender exits without connecting, showing its output.
     */
    public PtyMaster accept(Duration timeout, RunningCli sender) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Libc.pollIn(fd, Math.min(SENDER_CHECK_MILLIS, remainingMillis(deadline)))) {
            boolean senderGone = sender != null && !sender.isAlive();
            if (senderGone || remainingMillis(deadline) == 0) {
                String why = senderGone ? "the runtime exited without connecting" : "timed out after "
                        + timeout.toMillis() + " ms";
                throw new AssertionError("no connection on console socket " + path + ": " + why
                        + (sender == null ? "" : senderGone ? sender.await(Duration.ofSeconds(1)).describe()
                                : sender.describeSoFar()));
            }
        }
        int client = Libc.accept(fd);
        try {
            if (!Libc.pollIn(client, remainingMillis(deadline))) {
                throw new AssertionError("runtime connected to " + path + " but sent nothing within "
                        + timeout.toMillis() + " ms");
            }
            return new PtyMaster(receiveFd(client));
        } finally {
            Libc.close(client);
        }
    }

    private int receiveFd(int client) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment payload = arena.allocate(PAYLOAD_SIZE);
            MemorySegment control = arena.allocate(CONTROL_SIZE, 8);
            // struct iovec { void *iov_base; size_t iov_len; }
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ValueLayout.ADDRESS, 0, payload);
            iov.set(ValueLayout.JAVA_LONG, 8, PAYLOAD_SIZE);
            // struct msghdr on x86_64: name@0 namelen@8 iov@16 iovlen@24 control@32 controllen@40 flags@48.
            MemorySegment msghdr = arena.allocate(MSGHDR_SIZE, 8);
            msghdr.set(ValueLayout.ADDRESS, 16, iov);
            msghdr.set(ValueLayout.JAVA_LONG, 24, 1);
            msghdr.set(ValueLayout.ADDRESS, 32, control);
            msghdr.set(ValueLayout.JAVA_LONG, 40, CONTROL_SIZE);
            Libc.recvmsg(client, msghdr);
            long controlLength = msghdr.get(ValueLayout.JAVA_LONG, 40);
            // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then the data at 16.
            if (controlLength >= 20
                    && control.get(ValueLayout.JAVA_INT, 8) == Libc.SOL_SOCKET
                    && control.get(ValueLayout.JAVA_INT, 12) == Libc.SCM_RIGHTS) {
                return control.get(ValueLayout.JAVA_INT, 16);
            }
            throw new AssertionError("the runtime's message on " + path + " carried no SCM_RIGHTS descriptor");
        }
    }

    private static int remainingMillis(long deadline) {
        return (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("removing " + path, e);
            }
        }
    }
}
