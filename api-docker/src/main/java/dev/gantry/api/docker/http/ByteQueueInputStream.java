package dev.gantry.api.docker.http;

import dev.gantry.base.BulkInputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes arriving on the event loop, read by a blocking virtual thread: the body of a request,
 * or the client→server half of a hijacked connection. Reading stops (auto-read off) while
 * more than {@link #HIGH_WATER} bytes wait unread and resumes under {@link #LOW_WATER}, so a
 * slow consumer holds back a fast client instead of filling the heap.
 */
final class ByteQueueInputStream extends BulkInputStream {
    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private long queued;
    private boolean ended;
    private String failure;

    ByteQueueInputStream(Channel channel) {
        this.channel = channel;
    }

    /** Event loop: takes ownership of {@code buf}. */
    void offer(ByteBuf buf) {
        lock.lock();
        try {
            if (ended || failure != null || !buf.isReadable()) {
                buf.release();
                return;
            }
            queue.add(buf);
            queued += buf.readableBytes();
            if (queued > HIGH_WATER) {
                channel.config().setAutoRead(false);
            }
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The sender finished: readers see end-of-stream after the queued bytes. */
    void end() {
        lock.lock();
        try {
            ended = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection broke: readers get an IOException; queued bytes are dropped. */
    void fail(String why) {
        lock.lock();
        try {
            if (!ended) {
                failure = why;
            }
            drop();
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (failure != null) {
                    throw new IOException(failure);
                }
                if (ended) {
                    return -1;
                }
                ready.await();
            }
            ByteBuf head = queue.peek();
            int n = Math.min(len, head.readableBytes());
            head.readBytes(b, off, n);
            if (!head.isReadable()) {
                queue.poll().release();
            }
            queued -= n;
            if (queued < LOW_WATER && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading from the client");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queued);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            drop();
        } finally {
            lock.unlock();
        }
    }

    private void drop() {
        queue.forEach(ByteBuf::release);
        queue.clear();
        queued = 0;
    }
}
