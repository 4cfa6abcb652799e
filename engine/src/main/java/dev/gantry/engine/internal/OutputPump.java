package dev.gantry.engine.internal;

import dev.gantry.engine.LogStream;
import dev.gantry.sys.Errno;
import dev.gantry.sys.SysException;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Copies one output stream of a container (a FIFO's read end, or a terminal's master) to a
 * {@link Target} on a platform thread of its own, line by line; a line longer than
 * {@value #MAX_LINE} bytes is passed on in pieces, as Docker's json-file driver does.
 *
 * <p>Back-pressure, not loss: the thread writes each line before it reads more, so a target
 * that is slow (a slow disk under the log) makes this container's writes block once the
 * 64 KiB pipe buffer is full. Nothing is dropped, and since every container has its own
 * pumps and log file, other containers and the engine are not slowed down.
 *
 * <p>The pump ends at end of file (every writer closed: the container's processes exited), at
 * EIO from a terminal master (the terminal's last user closed it), or when {@link #stop} is
 * called; it then closes its descriptor. A stopped pump first takes what is already in the
 * pipe (at most {@value #FINAL_DRAIN} bytes), so that the last output of a container whose
 * exit is recorded while its pump is behind (a slow attached client) is not lost.
 */
public final class OutputPump {
    static final int MAX_LINE = 16 * 1024;
    private static final int POLL_MILLIS = 200;
    /** Bounds the final drain: a process outside the container's pid namespace may keep writing. */
    static final int FINAL_DRAIN = 4 * 1024 * 1024;

    /** Where the lines go. */
    @FunctionalInterface
    public interface Target {
        void line(LogStream stream, Instant time, byte[] buf, int off, int len) throws IOException;
    }

    /**
     * Also receives the bytes as read, before they are cut into lines (attached clients). It may
     * block while a client is behind: that holds back this container only.
     */
    @FunctionalInterface
    public interface Tap {
        Tap NONE = (stream, buf, off, len) -> { };

        void bytes(LogStream stream, byte[] buf, int off, int len);
    }

    private final Syscalls sys;
    private final int fd;
    private final Tap tap;
    private final boolean ownsFd;
    private final LogStream stream;
    private final Target target;
    private final Consumer<String> warn;
    private final Thread thread;
    private volatile boolean stopped;

    private OutputPump(Syscalls sys, int fd, boolean ownsFd, LogStream stream, Target target, Tap tap, Consumer<String> warn,
            String name) {
        this.sys = sys;
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.tap = tap;
        this.stream = stream;
        this.target = target;
        this.warn = warn;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
    }

    /** Starts pumping {@code fd}, which the pump then owns. */
    public static OutputPump start(Syscalls sys, int fd, LogStream stream, Target target, Consumer<String> warn, String name) {
        return start(sys, fd, true, stream, target, Tap.NONE, warn, name);
    }

    /**
     * Starts pumping {@code fd} to {@code target} and {@code tap}; closes {@code fd} at the end
     * when {@code ownsFd} (a terminal master is owned by its {@link ContainerInput} instead).
     */
    public static OutputPump start(Syscalls sys, int fd, boolean ownsFd, LogStream stream, Target target, Tap tap,
            Consumer<String> warn, String name) {
        OutputPump p = new OutputPump(sys, fd, ownsFd, stream, target, tap, warn, name);
        p.thread.start();
        return p;
    }

    private void run() {
        byte[] buf = new byte[32 * 1024];
        byte[] line = new byte[MAX_LINE];
        int used = 0;
        boolean targetFailed = false;
        long drained = 0;
        try {
            while (true) {
                boolean stopping = stopped;
                if (stopping && drained >= FINAL_DRAIN) {
                    break;
                }
                if (sys.poll(fd, Syscalls.POLLIN, stopping ? 0 : POLL_MILLIS) == 0) {
                    if (stopping) {
                        break;
                    }
                    continue;
                }
                int n;
                try {
                    n = sys.read(fd, buf, 0, buf.length);
                } catch (SysException e) {
                    // EAGAIN: woken without data (the FIFO is non-blocking), read again later.
                    // EIO: a terminal master whose slave side is closed for good, its end of file.
                    if (e.errno() == Errno.EINTR || (e.errno() == Errno.EAGAIN && !stopping)) {
                        continue;
                    }
                    break;
                }
                if (n <= 0) {
                    break;
                }
                if (stopping) {
                    drained += n;
                }
                tap.bytes(stream, buf, 0, n);
                Instant now = Instant.now();
                for (int i = 0; i < n; i++) {
                    line[used++] = buf[i];
                    if (buf[i] == '\n' || used == MAX_LINE) {
                        targetFailed = emit(now, line, used, targetFailed);
                        used = 0;
                    }
                }
            }
            if (used > 0) {
                emit(Instant.now(), line, used, targetFailed);
            }
        } finally {
            if (ownsFd) {
                sys.close(fd);
            }
        }
    }

    private boolean emit(Instant now, byte[] line, int len, boolean failedBefore) {
        if (failedBefore) {
            return true;
        }
        try {
            target.line(stream, now, line, 0, len);
            return false;
        } catch (IOException | RuntimeException e) {
            // Keep reading so that the container never blocks on a full pipe, but say once why its output is lost.
            warn.accept(thread.getName() + ": output is discarded from now on: " + e.getMessage());
            return true;
        }
    }

    /** Waits until the stream ended, at most {@code millis}; then makes the pump stop. Returns whether it had ended. */
    public boolean awaitEnd(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            stop();
            return false;
        }
        return true;
    }

    /** Makes the pump stop within one poll interval (its descriptor is closed then). */
    public void stop() {
        stopped = true;
    }

    public void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
