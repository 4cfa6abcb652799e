package dev.gantry.dns;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread factory that remembers the threads it made, so the server can join them on close:
 * an executor's termination only says the tasks returned, while their threads may still be
 * exiting.
 */
final class StartedThreads implements ThreadFactory {
    /** How many threads are made between two sweeps of the finished ones (one per datagram, so sweeping each time would cost). */
    private static final int SWEEP_EVERY = 256;

    private final ThreadFactory delegate;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger made = new AtomicInteger();

    StartedThreads(ThreadFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = delegate.newThread(task);
        if (made.incrementAndGet() % SWEEP_EVERY == 0) {
            // TERMINATED, not !isAlive(): a thread made but not yet started is not alive either.
            threads.removeIf(t -> t.getState() == Thread.State.TERMINATED);
        }
        threads.add(thread);
        return thread;
    }

    /** Waits until every thread made has ended, or {@code timeout} passed; true when all ended. */
    boolean joinAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }
}
