package dev.gantry.api.docker.backend;

import java.io.IOException;

/**
 * Receives the items of a streamed answer (events, stats samples, progress messages) in
 * order; each is sent to the client at once. {@link IOException} means the client has gone:
 * the producer stops and returns.
 */
@FunctionalInterface
public interface Sink<T> {
    void accept(T item) throws IOException;
}
