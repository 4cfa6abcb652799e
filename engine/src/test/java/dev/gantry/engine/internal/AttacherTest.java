package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.Attachment;
import dev.gantry.engine.LogStream;
import dev.gantry.engine.OutputSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AttacherTest {
    private static Attacher attacher() {
        return attacher(Attacher.STALL_MILLIS);
    }

    private static Attacher attacher(long stallMillis) {
        return new Attacher("t", true, true, DetachKeys.parse(null), new Attacher.InputTarget() {
            @Override
            public ContainerInput current() {
                return null;
            }

            @Override
            public boolean runningWithoutInput() {
                return true;
            }
        }, false, a -> { }, stallMillis);
    }

    private static CompletableFuture<Attachment.End> runAsync(Attacher a, OutputSink sink) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return a.run(null, sink);
            } catch (java.io.IOException e) {
                return Attachment.End.DETACHED;
            }
        }, r -> Thread.ofPlatform().start(r));
    }

    @Test
    void runWritesTheQueuedOutputAndEndsWithoutWaitingForItsPollToTimeOut() throws Exception {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            Attacher a = attacher();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompletableFuture<Attachment.End> end = CompletableFuture.supplyAsync(() -> {
                try {
                    return a.run(null, (stream, data, off, len) -> out.write(data, off, len));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            Thread.sleep(20);
            a.output(LogStream.STDOUT, "hi\n".getBytes(StandardCharsets.UTF_8), 0, 3);
            long t0 = System.nanoTime();
            a.finish(Attachment.End.EXITED);
            assertThat(end.get(5, TimeUnit.SECONDS)).isEqualTo(Attachment.End.EXITED);
            best = Math.min(best, System.nanoTime() - t0);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi\n");
        }
        // Its poll interval is 50 ms: the best of five ends well before that.
        assertThat(TimeUnit.NANOSECONDS.toMillis(best)).isLessThan(25);
    }

    /** docker run IMAGE big-output | slow-consumer: the client holds the container back and gets every byte. */
    @Test
    void aSlowClientGetsEveryByte() throws Exception {
        Attacher a = attacher();
        AtomicLong received = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        CompletableFuture<Attachment.End> end = runAsync(a, (stream, data, off, len) -> {
            received.addAndGet(len);
            if (writes.incrementAndGet() % 200 == 0) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        byte[] chunk = new byte[1024];
        int chunks = Attacher.MAX_QUEUED * 4;
        for (int i = 0; i < chunks; i++) {
            a.output(LogStream.STDOUT, chunk, 0, chunk.length);
        }
        a.finish(Attachment.End.EXITED);
        assertThat(end.get(30, TimeUnit.SECONDS)).isEqualTo(Attachment.End.EXITED);
        assertThat(received.get()).isEqualTo((long) chunks * chunk.length);
    }

    @Test
    void aClientThatTakesNothingIsDroppedAfterTheStall() throws Exception {
        Attacher a = attacher(200);
        byte[] chunk = new byte[16];
        for (int i = 0; i < Attacher.MAX_QUEUED; i++) {
            a.output(LogStream.STDOUT, chunk, 0, chunk.length);
        }
        long t0 = System.nanoTime();
        a.output(LogStream.STDOUT, chunk, 0, chunk.length);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(150);
        assertThat(runAsync(a, (stream, data, off, len) -> { }).get(10, TimeUnit.SECONDS))
                .isEqualTo(Attachment.End.OVERRUN);
    }

    @Test
    void aClientThatGoesAwayReleasesAPumpWaitingForIt() throws Exception {
        Attacher a = attacher(60_000);
        byte[] chunk = new byte[16];
        for (int i = 0; i < Attacher.MAX_QUEUED; i++) {
            a.output(LogStream.STDOUT, chunk, 0, chunk.length);
        }
        Thread pump = Thread.ofPlatform().start(() -> a.output(LogStream.STDOUT, chunk, 0, chunk.length));
        Thread.sleep(100);
        assertThat(pump.isAlive()).as("the pump waits for the client").isTrue();
        runAsync(a, (stream, data, off, len) -> {
            throw new java.io.IOException("client closed the connection");
        }).get(10, TimeUnit.SECONDS);
        pump.join(5_000);
        assertThat(pump.isAlive()).as("the pump goes on once the client is gone").isFalse();
    }
}
