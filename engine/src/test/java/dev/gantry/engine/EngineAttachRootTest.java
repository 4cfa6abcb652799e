package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import dev.gantry.testkit.RequiresRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Engine#attach} and {@link Engine#resize} on busybox containers: stdin, StdinOnce, detach keys, a TTY. */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ClassEngine.class)
class EngineAttachRootTest {
    private final Engine engine;

    EngineAttachRootTest(Engine engine) {
        this.engine = engine;
    }

    /** Collects output; waits for a string to appear. */
    private static final class Collected implements OutputSink {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public synchronized void write(LogStream stream, byte[] data, int off, int len) {
            out.write(data, off, len);
            notifyAll();
        }

        synchronized String text() {
            return out.toString(StandardCharsets.UTF_8);
        }

        synchronized void await(String s) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 20_000;
            while (!text().contains(s) && System.currentTimeMillis() < deadline) {
                wait(100);
            }
            assertThat(text()).contains(s);
        }
    }

    private String create(Config c) {
        return engine.create(new CreateRequest(null, c, null)).id();
    }

    private static Config sh(String script) {
        return Config.of(EngineFixture.IMAGE).withCmd("sh", "-c", script);
    }

    private static final AttachOptions WITH_STDIN = new AttachOptions(true, true, true, true, false, null);

    @Test
    void stdinOnceFeedsTheInputThenEndsIt() throws Exception {
        String id = create(Config.of(EngineFixture.IMAGE).withCmd("cat").withStdin(true, true, true));
        Attachment a = engine.attach(id, WITH_STDIN);
        var exit = engine.wait(id, WaitCondition.NEXT_EXIT);
        engine.start(id);
        Collected out = new Collected();
        Attachment.End end = a.run(new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)), out);
        assertThat(end).isEqualTo(Attachment.End.EXITED);
        assertThat(out.text()).isEqualTo("hello\n");
        assertThat(exit.get(10, TimeUnit.SECONDS).exitCode()).isZero();
    }

    @Test
    void aShellReadsALineFromTheAttachedInput() throws Exception {
        String id = create(sh("read x; echo got:$x; exit 3").withStdin(true, true, true));
        Attachment a = engine.attach(id, WITH_STDIN);
        engine.start(id);
        Collected out = new Collected();
        assertThat(a.run(new ByteArrayInputStream("abc\n".getBytes(StandardCharsets.UTF_8)), out)).isEqualTo(Attachment.End.EXITED);
        assertThat(out.text()).isEqualTo("got:abc\n");
        assertThat(engine.inspect(id).state().exitCode()).isEqualTo(3);
    }

    @Test
    void detachKeysEndTheAttachmentAndTheContainerKeepsRunning() throws Exception {
        String id = create(Config.of(EngineFixture.IMAGE).withCmd("cat").withStdin(true, false, true));
        engine.start(id);
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(client);
        Collected out = new Collected();
        CompletableFuture<Attachment.End> end = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.attach(id, new AttachOptions(true, true, true, true, false, "ctrl-x,x"), in, out);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        client.write("first\n".getBytes(StandardCharsets.UTF_8));
        client.flush();
        out.await("first\n");
        client.write(new byte[] {24, 'x'});
        client.flush();
        assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(Attachment.End.DETACHED);
        assertThat(engine.inspect(id).state().status()).isEqualTo(Status.RUNNING);

        // Not StdinOnce: the next client still reaches the container's stdin.
        Collected again = new Collected();
        engine.attach(id, new AttachOptions(true, true, true, true, false, null),
                new ByteArrayInputStream("second\n\u0010\u0011".getBytes(StandardCharsets.UTF_8)), again);
        assertThat(engine.inspect(id).state().status()).isEqualTo(Status.RUNNING);
        engine.stop(id, "KILL", null);
        assertThat(new String(logBytes(id), StandardCharsets.UTF_8)).contains("first\n", "second\n");
    }

    private byte[] logBytes(String id) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        engine.logs(id, LogOptions.ALL, e -> b.writeBytes(e.line()));
        return b.toByteArray();
    }

    @Test
    void aTtyCarriesInputOutputAndTheWindowSize() throws Exception {
        String id = create(Config.of(EngineFixture.IMAGE).withCmd("sh").withTty(true).withStdin(true, true, true));
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(client);
        Collected out = new Collected();
        Attachment a = engine.attach(id, WITH_STDIN);
        engine.start(id);
        engine.resize(id, 41, 123);
        CompletableFuture<Attachment.End> end = CompletableFuture.supplyAsync(() -> {
            try {
                return a.run(in, out);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        client.write("stty size; echo hi-$((6*7))\r".getBytes(StandardCharsets.UTF_8));
        client.flush();
        out.await("hi-42");
        assertThat(out.text()).contains("41 123");
        client.write("exit\r".getBytes(StandardCharsets.UTF_8));
        client.flush();
        assertThat(end.get(20, TimeUnit.SECONDS)).isEqualTo(Attachment.End.EXITED);
        assertThat(engine.inspect(id).state().exitCode()).isZero();
    }

    @Test
    void resizeNeedsARunningTtyContainer() {
        String id = create(sh("sleep 30"));
        assertThatThrownBy(() -> engine.resize(id, 10, 10)).isInstanceOf(GantryException.class).hasMessageContaining("not running");
        engine.start(id);
        assertThatThrownBy(() -> engine.resize(id, 10, 10)).isInstanceOf(GantryException.class).hasMessageContaining("no TTY");
    }

    @Test
    void removingTheContainerEndsAnAttachmentWaitingForItsStart() throws Exception {
        String id = create(sh("true"));
        Attachment a = engine.attach(id, AttachOptions.output());
        CompletableFuture<Attachment.End> end = CompletableFuture.supplyAsync(() -> {
            try {
                return a.run(null, new Collected());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        engine.remove(id, true, true);
        assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(Attachment.End.EXITED);
    }
}
