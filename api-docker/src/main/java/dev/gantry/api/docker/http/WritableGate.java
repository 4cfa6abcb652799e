package dev.gantry.api.docker.http;

import io.netty.channel.Channel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a virtual thread that produces output wait while the connection's outbound buffer is
 * above Netty's high-water mark, so a client that reads slowly (or not at all) slows its
 * producer instead of growing the heap. The event loop opens the gate on writability
 * changes and on close.
 */
final class WritableGate {
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    WritableGate(Channel channel) {
        this.channel = channel;
    }

    void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until the channel can take more output; throws once the client has gone. */
    void await() throws IOException {
        lock.lock();
        try {
            while (channel.isActive() && !channel.isWritable()) {
                // The timeout only guards against a missed signal; writability events wake us.
                changed.await(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to write to the client");
        } finally {
            lock.unlock();
        }
        if (!channel.isActive()) {
            throw new IOException("the client closed the connection");
        }
    }
}
