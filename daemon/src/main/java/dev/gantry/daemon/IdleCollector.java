package dev.gantry.daemon;

import dev.gantry.api.docker.http.RequestActivity;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Gives the heap back once the daemon is idle. A burst of containers grows the heap, and the
 * serial collector shrinks it only at a full collection, which an idle daemon never reaches by
 * itself: after 160 containers gantryd kept ~130 MB resident, against 90 MB fresh. Each period, when
 * the daemon was idle during the last one and the heap has grown since the previous collection
 * made here, this runs one (the launcher's {@code -XX:-ShrinkHeapInSteps} makes it shrink the heap
 * at once; {@code -XX:TrimNativeHeapInterval} gives glibc's free memory back). Idle means no engine
 * event published, no API request started or finished, and none in flight now: a pull, a
 * {@code logs -f}, a large {@code cp}, {@code save} or {@code load}, an attach can go on for minutes
 * without an event, and a full collection in their midst would pause them for nothing.
 */
final class IdleCollector implements AutoCloseable {
    /** What the collector watches and does, so that a test can drive it. */
    interface Jvm {
        long committedHeap();

        void collect();
    }

    /** What the daemon is doing, as the collector sees it. */
    interface Activity {
        /** A count that grows whenever work begins or ends (events published, requests started and finished). */
        long changes();

        /** Whether work is under way now: an API request in flight, a stream or a hijacked session included. */
        boolean busy();

        /** Engine events and the API server's requests. */
        static Activity of(LongSupplier events, RequestActivity requests) {
            return new Activity() {
                @Override
                public long changes() {
                    return events.getAsLong() + requests.changes();
                }

                @Override
                public boolean busy() {
                    return requests.inFlight() > 0;
                }
            };
        }
    }

    private final Activity activity;
    private final Jvm jvm;
    private Thread thread;
    private long lastActivity;
    private long committedAfterCollection;

    IdleCollector(Activity activity, Jvm jvm) {
        this.activity = activity;
        this.jvm = jvm;
        this.lastActivity = activity.changes();
        this.committedAfterCollection = jvm.committedHeap();
    }

    /** Starts checking every {@code period} on a thread of its own. */
    static IdleCollector start(Activity activity, Jvm jvm, Duration period) {
        IdleCollector c = new IdleCollector(activity, jvm);
        synchronized (c) {
            c.thread = Thread.ofPlatform().daemon().name("gantry-idle-gc").start(() -> c.run(period));
        }
        return c;
    }

    /** The JVM this runs in. */
    static Jvm runtime() {
        return new Jvm() {
            @Override
            public long committedHeap() {
                return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
            }

            @Override
            public void collect() {
                System.gc();
            }
        };
    }

    private void run(Duration period) {
        try {
            while (true) {
                Thread.sleep(period);
                check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One period's decision; true when it collected. */
    synchronized boolean check() {
        long now = activity.changes();
        // Read after the count: a request that ends in between shows as a change next period.
        boolean idle = now == lastActivity && !activity.busy();
        lastActivity = now;
        if (!idle || jvm.committedHeap() <= committedAfterCollection) {
            return false;
        }
        jvm.collect();
        committedAfterCollection = jvm.committedHeap();
        return true;
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
