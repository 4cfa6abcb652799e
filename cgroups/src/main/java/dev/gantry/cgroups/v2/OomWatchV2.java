package dev.gantry.cgroups.v2;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.OomWatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * v2 OOM notification: {@code memory.events} counts {@code oom_kill}s; the watch polls the
 * counter every {@code interval} and reports its growth. (The kernel also raises a file
 * modification event on {@code memory.events}; polling keeps this free of native code and
 * costs one small read per interval.)
 */
public final class OomWatchV2 implements OomWatch {
    private final Path dir;
    private final Duration interval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closedSignal = lock.newCondition();
    private long seen;
    private boolean closed;

    public OomWatchV2(Path dir, Duration interval) {
        this.dir = dir;
        this.interval = interval;
        this.seen = count();
    }

    @Override
    public long await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!closed) {
                long now = count();
                if (now > seen) {
                    long delta = now - seen;
                    seen = now;
                    return delta;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return 0;
                }
                closedSignal.await(Math.min(left, interval.toNanos()), TimeUnit.NANOSECONDS);
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while watching " + dir, e);
        } finally {
            lock.unlock();
        }
    }

    private long count() {
        if (!Files.isDirectory(dir)) {
            throw GantryException.notFound("the cgroup " + dir + " was removed");
        }
        return CgroupFile.readKeyed(dir, "memory.events").getOrDefault("oom_kill", 0L);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            closedSignal.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
