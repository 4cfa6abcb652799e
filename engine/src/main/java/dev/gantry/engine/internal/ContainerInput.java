package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import dev.gantry.sys.Errno;
import dev.gantry.sys.SysException;
import dev.gantry.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The engine's end of a running container's input: the write end of its stdin FIFO
 * ({@code openStdin} without a TTY) or its terminal's master (with a TTY; the same descriptor
 * the output pump reads, so this class owns it and closes it only after the pump ended).
 *
 * <p>The FIFO's write end is the only writer: closing it ({@link #closeInput}) is end of file
 * for the container. The engine opens it read-write and non-blocking, so that a container that
 * stopped reading neither blocks a client's feeder forever nor raises SIGPIPE in the daemon.
 */
public final class ContainerInput {
    private static final long FULL_PIPE_RETRY_MILLIS = 10;

    private final Syscalls sys;
    private final int fd;
    private final boolean terminal;
    private boolean inputClosed;
    private boolean released;

    private ContainerInput(Syscalls sys, int fd, boolean terminal) {
        this.sys = sys;
        this.fd = fd;
        this.terminal = terminal;
    }

    /** Takes ownership of a terminal master. */
    public static ContainerInput terminal(Syscalls sys, int master) {
        return new ContainerInput(sys, master, true);
    }

    /**
     * Creates the stdin FIFO at {@code path} (if needed) and opens both ends; returns the
     * engine's end and puts the container's (read-only, blocking) end in {@code containerEnd[0]}.
     */
    public static ContainerInput fifo(Syscalls sys, Path path, int[] containerEnd) {
        if (!Files.exists(path)) {
            sys.mkfifo(path.toString(), 0600);
        }
        int w = sys.open(path.toString(), Syscalls.O_RDWR | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC, 0);
        try {
            // A writer exists now, so this blocking open returns at once (fifo(7)).
            containerEnd[0] = sys.open(path.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0);
        } catch (RuntimeException e) {
            sys.close(w);
            throw e;
        }
        return new ContainerInput(sys, w, false);
    }

    public boolean isTerminal() {
        return terminal;
    }

    /**
     * Writes all of {@code buf[0, n)}, waiting while the pipe is full; returns false when the
     * input is closed (the bytes are dropped).
     */
    public boolean write(byte[] buf, int n) {
        int off = 0;
        while (off < n) {
            synchronized (this) {
                if (inputClosed || released) {
                    return false;
                }
                try {
                    off += sys.write(fd, buf, off, n - off);
                    continue;
                } catch (SysException e) {
                    if (e.errno() != Errno.EAGAIN && e.errno() != Errno.EINTR) {
                        return false;
                    }
                }
            }
            try {
                Thread.sleep(FULL_PIPE_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Sets the terminal's window size; CONFLICT when the container has no terminal. */
    public synchronized void resize(int rows, int cols) {
        if (!terminal || released) {
            throw GantryException.conflict("the container has no TTY to resize");
        }
        sys.setWindowSize(fd, rows, cols);
    }

    /**
     * Ends the container's input (StdinOnce): the FIFO's writer closes, so the container reads
     * end of file. A terminal stays open (its master also carries the output); only further
     * input is dropped.
     */
    public synchronized void closeInput() {
        if (inputClosed || released) {
            return;
        }
        inputClosed = true;
        if (!terminal) {
            sys.close(fd);
        }
    }

    /** Closes the descriptor for good (the container's output ended, or the engine closes). */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        if (terminal || !inputClosed) {
            sys.close(fd);
        }
    }
}
