package dev.gantry.api.docker.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many requests the server has <em>started</em> (its handler began) and <em>finished</em> (the
 * response is handed to the connection: a full body queued, a stream's last chunk written, a
 * hijacked session over); the difference is the requests <em>in flight</em>, long streams and
 * hijacked sessions included. Two atomic increments per request, so the request path takes no
 * lock; the daemon reads it to tell an idle server from a busy one.
 */
public final class RequestActivity {
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    void started() {
        started.incrementAndGet();
    }

    void finished() {
        finished.incrementAndGet();
    }

    /** Requests started plus requests finished: grows with every request's beginning and end. */
    public long changes() {
        // Finished first: read the other way, a request ending in between could be counted
        // as finished but not started.
        long f = finished.get();
        return started.get() + f;
    }

    /** Requests started and not finished yet. */
    public long inFlight() {
        long f = finished.get();
        return started.get() - f;
    }
}
