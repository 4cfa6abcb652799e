package dev.gantry.daemon.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.api.docker.http.StdSink;
import dev.gantry.api.docker.http.StdStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Attach output without an engine attach: follows a container's json-file log from an open
 * descriptor, writing the entries logged at or after {@code from}. The descriptor is opened
 * as soon as the file exists and, at the latest, when the container exits — before the engine
 * auto-removes it ({@code docker run --rm}), since the engine completes exit waiters before it
 * removes — so the output of even the shortest container is read from the unlinked file.
 */
final class LogFollower {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final long POLL_MILLIS = 5;

    private final Path log;
    private final Instant from;
    private final CompletableFuture<?> exited;
    private FileChannel channel;

    LogFollower(Path log, Instant from, CompletableFuture<?> exited) {
        this.log = log;
        this.from = from;
        this.exited = exited;
        // Runs on the engine's monitor thread when the container exits, before auto-removal.
        exited.whenComplete((r, e) -> open());
    }

    private synchronized FileChannel open() {
        if (channel == null) {
            try {
                channel = FileChannel.open(log, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                return null;
            }
        }
        return channel;
    }

    /** Writes entries until the container has exited and the log is read to its end. */
    void run(boolean stdout, boolean stderr, StdSink out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (true) {
                boolean done = exited.isDone();
                FileChannel ch = open();
                int n = ch == null ? -1 : ch.read(buf.clear());
                if (n > 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        byte b = buf.get();
                        if (b == '\n') {
                            emit(line.toByteArray(), stdout, stderr, out);
                            line.reset();
                        } else {
                            line.write(b);
                        }
                    }
                    continue;
                }
                if (done) {
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                if (channel != null) {
                    channel.close();
                }
            }
        }
    }

    private void emit(byte[] json, boolean stdout, boolean stderr, StdSink out) throws IOException {
        JsonNode entry = JSON.readTree(json);
        JsonNode time = entry.get("time");
        if (time != null && Instant.parse(time.asText()).isBefore(from)) {
            return;
        }
        StdStream stream = "stderr".equals(entry.path("stream").asText()) ? StdStream.STDERR : StdStream.STDOUT;
        if (stream == StdStream.STDOUT ? !stdout : !stderr) {
            return;
        }
        out.write(stream, entry.path("log").asText().getBytes(StandardCharsets.UTF_8));
    }
}
