package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.LogStream;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutputPumpTest {
    private final Syscalls sys = new LinuxSyscalls();

    /**
     * The engine stops a container's pump when the exit is recorded and the pump is behind (a
     * slow attached client): what the container wrote before it exited is still delivered.
     */
    @Test
    void aStoppedPumpStillTakesWhatIsInThePipe() throws Exception {
        int[] pair = sys.socketPair();
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong tapped = new AtomicLong();
        AtomicLong lines = new AtomicLong();
        OutputPump pump = null;
        try {
            byte[] data = new byte[64 * 1024];
            java.util.Arrays.fill(data, (byte) 'x');
            for (int i = 1023; i < data.length; i += 1024) {
                data[i] = '\n';
            }
            pump = OutputPump.start(sys, pair[0], true, LogStream.STDOUT, (stream, time, buf, off, len) -> lines.incrementAndGet(),
                    (stream, buf, off, len) -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        tapped.addAndGet(len);
                    }, m -> { }, "pump-test");
            assertThat(sys.write(pair[1], data, 0, data.length)).isEqualTo(data.length);
            // The writer stays open (no end of file): only stop() ends this pump.
            pump.stop();
            release.countDown();
            assertThat(pump.awaitEnd(10_000)).as("the pump ends once the pipe is empty").isTrue();
            assertThat(tapped.get()).isEqualTo(data.length);
            assertThat(lines.get()).isEqualTo(64);
        } finally {
            release.countDown();
            if (pump != null) {
                pump.join();
            }
            sys.close(pair[1]);
        }
    }

    @Test
    void aRunningPumpEndsAtEndOfFile() throws Exception {
        int[] pair = sys.socketPair();
        AtomicLong tapped = new AtomicLong();
        OutputPump pump = OutputPump.start(sys, pair[0], true, LogStream.STDERR, (stream, time, buf, off, len) -> { },
                (stream, buf, off, len) -> tapped.addAndGet(len), m -> { }, "pump-test-eof");
        byte[] hello = "hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        sys.write(pair[1], hello, 0, hello.length);
        sys.close(pair[1]);
        assertThat(pump.awaitEnd(TimeUnit.SECONDS.toMillis(10))).isTrue();
        assertThat(tapped.get()).isEqualTo(hello.length);
    }
}
