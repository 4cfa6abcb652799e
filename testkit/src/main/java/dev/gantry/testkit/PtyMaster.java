package dev.gantry.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The master side of a container's pty, received over a {@link ConsoleSocket}. Reads are
 * bounded by poll(2) deadlines and run on the calling (platform) thread.
 */
public final class PtyMaster implements AutoCloseable {
    private static final int EIO = 5;

    private final int fd;
    private final StringBuilder transcript = new StringBuilder();
    private int consumed;
    private boolean closed;

    PtyMaster(int fd) {
        this.fd = fd;
    }

    /** Types {@code text} into the terminal. */
    public void write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            long offset = 0;
            while (offset < bytes.length) {
                offset += Libc.write(fd, buffer.asSlice(offset));
            }
        }
    }

    /**
     * Reads until {@code needle} appears after the previous match and returns the text read
     * up to and including it. Fails with everything read so far when the deadline passes or
     * the terminal closes first.
     */
    public String awaitOutput(String needle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            while (true) {
                int at = transcript.indexOf(needle, consumed);
                if (at >= 0) {
                    String upTo = transcript.substring(consumed, at + needle.length());
                    consumed = at + needle.length();
                    return upTo;
                }
                int remaining = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
                if (remaining == 0 || !Libc.pollIn(fd, remaining)) {
                    throw new AssertionError("terminal did not print \"" + needle + "\" within "
                            + timeout.toMillis() + " ms; it printed:\n" + transcript);
                }
                long n;
                try {
                    n = Libc.read(fd, buffer);
                } catch (NativeCallException e) {
                    // EIO on a pty master means every slave descriptor was closed.
                    if (e.errno() != EIO) {
                        throw e;
                    }
                    n = 0;
                }
                if (n == 0) {
                    throw new AssertionError("terminal closed before printing \"" + needle + "\"; it printed:\n"
                            + transcript);
                }
                transcript.append(new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8));
            }
        }
    }

    /** Everything read from the terminal so far. */
    public String transcript() {
        return transcript.toString();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
