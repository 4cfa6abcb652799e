package dev.gantry.network;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs plugins as child processes with a time limit. The output pipes are drained on platform
 * threads: a plugin blocks when a pipe is full, and a virtual thread blocked in a pipe read
 * would pin its carrier.
 */
public final class ProcessPluginExecutor implements PluginExecutor {
    private final Duration timeout;

    public ProcessPluginExecutor(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Outcome run(Path binary, Map<String, String> cniEnv, byte[] stdin) {
        ProcessBuilder builder = new ProcessBuilder(binary.toString());
        // The plugins need PATH (portmap and firewall run iptables); stale CNI_* from our own
        // environment must not leak into a call that does not set them.
        builder.environment().keySet().removeIf(k -> k.startsWith("CNI_"));
        builder.environment().putAll(cniEnv);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "CNI plugin " + binary + ": cannot start: " + e.getMessage(), e);
        }
        Drain out = Drain.start(process.getInputStream(), binary + " stdout");
        Drain err = Drain.start(process.getErrorStream(), binary + " stderr");
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The plugin may exit without reading its configuration (VERSION does); its exit code tells.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
                throw new GantryException(ErrorKind.TIMEOUT, "CNI plugin " + binary + " " + cniEnv.get("CNI_COMMAND")
                        + ": no answer within " + timeout.toMillis() + " ms; killed");
            }
            return new Outcome(process.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "CNI plugin " + binary + ": interrupted while waiting", e);
        }
    }

    private record Drain(Thread thread, ByteArrayOutputStream bytes) {
        static Drain start(InputStream stream, String name) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Thread thread = Thread.ofPlatform().daemon().name("cni-" + name).start(() -> {
                try (stream) {
                    stream.transferTo(bytes);
                } catch (IOException e) {
                    // The process was killed; what was read so far is all there is.
                }
            });
            return new Drain(thread, bytes);
        }

        byte[] join() throws InterruptedException {
            thread.join();
            return bytes.toByteArray();
        }
    }
}
