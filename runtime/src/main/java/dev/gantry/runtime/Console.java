package dev.gantry.runtime;

import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Where the master side of a container's terminal goes when {@code process.terminal} is set.
 */
public sealed interface Console {
    /** Sent over the AF_UNIX socket at path with SCM_RIGHTS, as runc's --console-socket does. */
    record SocketPath(Path path) implements Console {}

    /** Handed to the caller, who then owns the descriptor. */
    record Receiver(IntConsumer onMaster) implements Console {}
}
