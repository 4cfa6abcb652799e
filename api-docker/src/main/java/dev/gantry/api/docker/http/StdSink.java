package dev.gantry.api.docker.http;

import java.io.IOException;

/**
 * Where the output of a container process goes on its way to an API client (logs, attach,
 * exec start). Without a TTY the frames keep stdout and stderr apart
 * ({@link StdStreamWriter}); with a TTY there is only one stream and the type is dropped
 * ({@link #raw}). A write to a client that went away throws {@link IOException}: a producer
 * stops there.
 */
@FunctionalInterface
public interface StdSink {
    void write(StdStream stream, byte[] data, int offset, int length) throws IOException;

    default void write(StdStream stream, byte[] data) throws IOException {
        write(stream, data, 0, data.length);
    }

    /** A sink for a TTY session: the bytes are passed on as they are, whatever the stream. */
    static StdSink raw(java.io.OutputStream out) {
        return (stream, data, offset, length) -> out.write(data, offset, length);
    }
}
