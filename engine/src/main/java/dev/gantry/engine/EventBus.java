package dev.gantry.engine;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The engine's events, in order: published by the engine (containers, volumes) and by whoever
 * changes images, delivered to every open {@link Subscription}, and the last {@value #KEPT}
 * kept for replay ({@code docker events --since}). Publishing never blocks: a subscriber
 * that falls more than {@value #BACKLOG} events behind is dropped (its next call ends it).
 */
public final class EventBus {
    static final int KEPT = 1024;
    static final int BACKLOG = 4096;

    private final Deque<Event> kept = new ArrayDeque<>();
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
    private long lastNanos;
    private volatile long published;

    /** Publishes an event happening now. */
    public void publish(String type, String action, String actorId, Map<String, String> attributes) {
        synchronized (kept) {
            Instant now = Instant.now();
            // Strictly increasing times, so that "since" and replay never reorder or repeat an event.
            long nanos = Math.max(now.getEpochSecond() * 1_000_000_000L + now.getNano(), lastNanos + 1);
            lastNanos = nanos;
            published++;
            Event e = new Event(type, action, actorId, attributes, nanos);
            kept.addLast(e);
            if (kept.size() > KEPT) {
                kept.removeFirst();
            }
            for (Subscription s : subscribers) {
                s.offer(e);
            }
        }
    }

    /** How many events were published so far: a cheap sign that the engine is busy. */
    public long published() {
        return published;
    }

    /**
     * Opens a subscription: first the kept events at or after {@code since} (null: none),
     * then every event published from now on. Close it when done.
     */
    public Subscription subscribe(Instant since) {
        Subscription s = new Subscription();
        synchronized (kept) {
            if (since != null) {
                long from = since.getEpochSecond() * 1_000_000_000L + since.getNano();
                for (Event e : kept) {
                    if (e.timeNano() >= from) {
                        s.offer(e);
                    }
                }
            }
            subscribers.add(s);
        }
        return s;
    }

    /** The events published since (or replayed at) the subscription's opening, one at a time. */
    public final class Subscription implements AutoCloseable {
        private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        private volatile boolean overrun;

        private Subscription() {
        }

        private void offer(Event e) {
            if (queue.size() >= BACKLOG) {
                overrun = true;
                subscribers.remove(this);
                return;
            }
            queue.add(e);
        }

        /**
         * The next event, waiting up to {@code timeout}; null when none came.
         *
         * @throws GantryException UNAVAILABLE when the subscriber fell too far behind and was dropped
         */
        public Event next(Duration timeout) throws InterruptedException {
            Event e = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (e == null && overrun) {
                throw new GantryException(ErrorKind.UNAVAILABLE, "event subscriber fell " + BACKLOG + " events behind and was dropped");
            }
            return e;
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }
}
