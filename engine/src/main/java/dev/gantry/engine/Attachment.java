package dev.gantry.engine;

import java.io.IOException;
import java.io.InputStream;

/**
 * A client attached to a container's streams ({@link Engine#attach}). It is registered when
 * created, so output written before {@link #run} is called (between an attach and the start of
 * the container, as {@code docker run} does it) is kept for it.
 */
public interface Attachment {
    /** Why {@link #run} returned. */
    enum End {
        /** The container's output ended: its processes exited. */
        EXITED,
        /** The client typed the detach keys; the container keeps running. */
        DETACHED,
        /** The client fell too far behind the container's output and was dropped. */
        OVERRUN
    }

    /**
     * Copies {@code in} (may be null: no input) to the container's stdin and the container's
     * output to {@code sink} until the output ends or the detach keys arrive. Blocks; an
     * {@link IOException} from {@code sink} (the client went away) or an interrupt ends it too.
     */
    End run(InputStream in, OutputSink sink) throws IOException;
}
