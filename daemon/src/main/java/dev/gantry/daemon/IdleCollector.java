package dev.gantry.daemon;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Gives the heap back once the daemon is idle. A burst of containers grows the heap, and the
 * serial collector shrinks it only at a full collection, which an idle daemon never reaches by
 * itself: after 160 containers gantryd kept ~130 MB resident, against 90 MB fresh. Each period, when
 * the engine published no event during the last one and the heap has grown since the previous
 * collection made here, this runs one (the launcher's {@code -XX:-ShrinkHeapInSteps} makes it
 * shrink the heap at once; {@code -XX:TrimNativeHeapInterval} gives glibc's free memory back).
 */
final class IdleCollector implements AutoCloseable {
    /** What the collector watches and does, so that a test can drive it. */
    interface Jvm {
        long committedHeap();

        void collect();
    }

    private final LongSupplier activity;
    private final Jvm jvm;
    private Thread thread;
    private long lastActivity;
    private long committedAfterCollection;

    /**
     * @param activity a count that grows while the daemon works (the events published)
     */
    IdleCollector(LongSupplier activity, Jvm jvm) {
        this.activity = activity;
        this.jvm = jvm;
        this.lastActivity = activity.getAsLong();
        this.committedAfterCollection = jvm.committedHeap();
    }

    /** Starts checking every {@code period} on a thread of its own. */
    static IdleCollector start(LongSupplier activity, Jvm jvm, Duration period) {
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
        long now = activity.getAsLong();
        boolean idle = now == lastActivity;
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
