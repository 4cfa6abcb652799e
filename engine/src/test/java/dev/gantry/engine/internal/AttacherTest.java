package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.Attachment;
import dev.gantry.engine.LogStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AttacherTest {
    private static Attacher attacher() {
        return new Attacher("t", true, true, DetachKeys.parse(null), new Attacher.InputTarget() {
            @Override
            public ContainerInput current() {
                return null;
            }

            @Override
            public boolean runningWithoutInput() {
                return true;
            }
        }, false, a -> { });
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
}
