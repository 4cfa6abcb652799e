package dev.gantry.engine.internal.health;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.ExecRequest;
import dev.gantry.engine.Health;
import dev.gantry.engine.OutputSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * A probe as an exec in the container ({@code docker exec} of the test command, as dockerd
 * runs it): output collected up to 4 KiB, SIGKILL to the process when the timeout passes.
 */
public final class ExecProber implements Prober {
    /** What the prober needs of the engine: exec create/start/pid, and killing a pid. */
    public interface Execs {
        String create(String containerId, ExecRequest request);

        int start(String execId, OutputSink out);

        int pid(String execId);
    }

    private static final int MAX_OUTPUT = 4096;

    private final Execs execs;
    private final IntConsumer killPid;

    public ExecProber(Execs execs, IntConsumer killPid) {
        this.execs = execs;
        this.killPid = killPid;
    }

    @Override
    public Optional<Health.Probe> probe(String containerId, List<String> command, Duration timeout) {
        Instant start = Instant.now();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        OutputSink sink = (stream, data, off, len) -> {
            synchronized (output) {
                output.write(data, off, Math.min(len, Math.max(0, MAX_OUTPUT - output.size())));
            }
        };
        String execId;
        try {
            execId = execs.create(containerId, new ExecRequest(command, null, null, null, false, false));
        } catch (GantryException e) {
            // CONFLICT: paused or no longer running; a probe then says nothing about health.
            return e.kind() == ErrorKind.CONFLICT ? Optional.empty()
                    : Optional.of(new Health.Probe(start.toString(), Instant.now().toString(), -1, e.getMessage()));
        }
        CompletableFuture<Integer> run = new CompletableFuture<>();
        Thread.ofVirtual().name("gantry-health-exec-" + execId.substring(0, 12)).start(() -> {
            try {
                run.complete(execs.start(execId, sink));
            } catch (RuntimeException e) {
                run.completeExceptionally(e);
            }
        });
        try {
            int code = run.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return Optional.of(new Health.Probe(start.toString(), Instant.now().toString(), code, text(output)));
        } catch (TimeoutException e) {
            int pid = execs.pid(execId);
            if (pid > 0) {
                killPid.accept(pid);
            }
            return Optional.of(new Health.Probe(start.toString(), Instant.now().toString(), -1,
                    "Health check exceeded timeout (" + timeout.toMillis() + "ms)"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GantryException g && g.kind() == ErrorKind.CONFLICT) {
                return Optional.empty();
            }
            return Optional.of(new Health.Probe(start.toString(), Instant.now().toString(), -1, e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
