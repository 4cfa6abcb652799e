package dev.gantry.engine.internal;

import dev.gantry.engine.Attachment;
import dev.gantry.engine.LogStream;
import dev.gantry.engine.OutputSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client attached to a container. Output arrives from the container's pumps through
 * {@link #output} on their threads; {@link #run} writes it to the client's sink on the caller's
 * thread while a platform thread of its own feeds the client's input to the container.
 *
 * <p>A client that reads slower than the container writes holds the container back, as with
 * dockerd: once it is {@value #MAX_QUEUED} chunks behind, {@link #output} waits for it, which
 * blocks this container's pump and then the container's writes (never the engine or other
 * containers). {@code docker run image big-output | slow-consumer} so gets every byte. Only a
 * client that takes nothing at all for {@link #stallMillis} is taken to be gone and dropped
 * with {@link Attachment.End#OVERRUN}.
 */
public final class Attacher implements Attachment {
    static final int MAX_QUEUED = 16;
    /** How long a pump waits on a client that takes nothing before dropping it. */
    static final long STALL_MILLIS = 30_000;
    private static final long POLL_MILLIS = 50;
    private static final long WAIT_START_MILLIS = 5;

    /** The container's input as far as this attachment is concerned. */
    public interface InputTarget {
        /** The container's input; null while the container is not running, or runs without one. */
        ContainerInput current();

        /** Whether the container is running without an input (its stdin is not open): input is dropped. */
        boolean runningWithoutInput();
    }

    private record Chunk(LogStream stream, byte[] data) {}

    /** Queued by {@link #finish} so that {@link #run} sees the end at once, not after its poll times out. */
    private static final Chunk WAKE = new Chunk(LogStream.STDOUT, new byte[0]);

    private final String name;
    private final boolean stdout;
    private final boolean stderr;
    private final DetachKeys detachKeys;
    private final InputTarget input;
    private final boolean stdinOnce;
    private final Consumer<Attacher> unregister;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final long stallMillis;
    private volatile End end;

    public Attacher(String name, boolean stdout, boolean stderr, DetachKeys detachKeys, InputTarget input, boolean stdinOnce,
            Consumer<Attacher> unregister) {
        this(name, stdout, stderr, detachKeys, input, stdinOnce, unregister, STALL_MILLIS);
    }

    Attacher(String name, boolean stdout, boolean stderr, DetachKeys detachKeys, InputTarget input, boolean stdinOnce,
            Consumer<Attacher> unregister, long stallMillis) {
        this.stallMillis = stallMillis;
        this.name = name;
        this.stdout = stdout;
        this.stderr = stderr;
        this.detachKeys = detachKeys;
        this.input = input;
        this.stdinOnce = stdinOnce;
        this.unregister = unregister;
    }

    /**
     * Called by a pump with bytes just read; copies them. Waits while the client is
     * {@value #MAX_QUEUED} chunks behind (back-pressure on this container only).
     */
    public void output(LogStream stream, byte[] buf, int off, int len) {
        if (end != null || (stream == LogStream.STDERR ? !stderr : !stdout)) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        Chunk chunk = new Chunk(stream, copy);
        if (queue.offer(chunk)) {
            return;
        }
        try {
            if (!queue.offer(chunk, stallMillis, TimeUnit.MILLISECONDS)) {
                finish(End.OVERRUN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(End.OVERRUN);
        }
    }

    /** Ends the attachment once the queued output is written. */
    public void finish(End why) {
        if (end == null) {
            end = why;
        }
        // A full queue needs no wake-up: run finds the end once it has drained it.
        queue.offer(WAKE);
    }

    @Override
    public End run(InputStream in, OutputSink sink) throws IOException {
        Thread feeder = in == null ? null
                : Thread.ofPlatform().daemon().name("gantry-attach-in-" + name).start(() -> feed(in));
        try {
            while (true) {
                Chunk c = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (c != null && c != WAKE) {
                    sink.write(c.stream, c.data, 0, c.data.length);
                    continue;
                }
                End e = end;
                if (e != null) {
                    // Chunks queued between the poll and the end mark are still this client's.
                    List<Chunk> rest = new ArrayList<>();
                    queue.drainTo(rest);
                    if (e != End.DETACHED) {
                        for (Chunk r : rest) {
                            if (r != WAKE) {
                                sink.write(r.stream, r.data, 0, r.data.length);
                            }
                        }
                    }
                    return e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return end;
        } finally {
            finish(End.DETACHED);
            // Nobody takes from the queue any more: a pump waiting to queue for this client goes on.
            queue.clear();
            unregister.accept(this);
            if (feeder != null) {
                feeder.interrupt();
            }
        }
    }

    /** Copies the client's input to the container until it ends or carries the detach keys. */
    private void feed(InputStream in) {
        DetachKeys.Scanner scanner = detachKeys.scanner();
        ByteArrayOutputStream pass = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; end == null && (n = in.read(buf)) > 0; ) {
                pass.reset();
                boolean detach = scanner.scan(buf, n, pass);
                deliver(pass.toByteArray());
                if (detach) {
                    finish(End.DETACHED);
                    break;
                }
            }
        } catch (IOException e) {
            // The client went away: its input ends here, as at end of file.
        }
        if (stdinOnce) {
            // StdinOnce: this client's input was the container's whole input.
            ContainerInput target = end == null ? awaitInput() : input.current();
            if (target != null) {
                target.closeInput();
            }
        }
    }

    private void deliver(byte[] data) {
        if (data.length == 0) {
            return;
        }
        ContainerInput target = awaitInput();
        if (target != null) {
            target.write(data, data.length);
        }
    }

    /** The container's input, waiting while the container is not started yet (docker run attaches first). */
    private ContainerInput awaitInput() {
        while (end == null) {
            ContainerInput target = input.current();
            if (target != null) {
                return target;
            }
            if (input.runningWithoutInput()) {
                return null;
            }
            try {
                Thread.sleep(WAIT_START_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
