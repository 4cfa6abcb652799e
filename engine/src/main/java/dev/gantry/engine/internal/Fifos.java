package dev.gantry.engine.internal;

import dev.gantry.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's output channel: a named FIFO in its directory. The engine reads it through a
 * non-blocking read end; the container's stdout (or stderr) is the same FIFO opened
 * read-write. Because the container's own descriptor counts as a reader, a container whose
 * engine died never gets SIGPIPE: its writes just block once the pipe buffer is full, and a
 * restarted engine opens the FIFO by path again and drains it. End of file reaches the engine
 * once every process of the container has closed it, that is, exited.
 */
public final class Fifos {
    private Fifos() {
    }

    /** Creates the FIFO at {@code path} if needed and opens the engine's read end (non-blocking, close-on-exec). */
    public static int openReader(Syscalls sys, Path path) {
        if (!Files.exists(path)) {
            sys.mkfifo(path.toString(), 0600);
        }
        return sys.open(path.toString(), Syscalls.O_RDONLY | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC, 0);
    }

    /** Opens the container's end: read-write, so that it never blocks and never sees a missing reader. */
    public static int openWriter(Syscalls sys, Path path) {
        return sys.open(path.toString(), Syscalls.O_RDWR | Syscalls.O_CLOEXEC, 0);
    }
}
