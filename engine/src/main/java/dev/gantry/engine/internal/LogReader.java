package dev.gantry.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.LogEntry;
import dev.gantry.engine.LogOptions;
import dev.gantry.engine.LogSink;
import dev.gantry.engine.LogStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads a {@link JsonFileLog}: the rotated files oldest first, then the current one; with
 * {@code follow}, then polls the current file for new entries, moving on to the new current
 * file after a rotation (the old one, still open, is read to its end first), until
 * {@code producing} turns false and nothing is left to read.
 */
public final class LogReader {
    private static final long POLL_MILLIS = 50;

    private final Path file;
    private final int maxFile;

    public LogReader(Path file, int maxFile) {
        this.file = file;
        this.maxFile = maxFile;
    }

    public void read(LogOptions opts, BooleanSupplier producing, LogSink sink) throws IOException {
        Deque<LogEntry> initial = new ArrayDeque<>();
        for (int i = maxFile - 1; i >= 1; i--) {
            Path r = JsonFileLog.rotated(file, i);
            if (Files.exists(r)) {
                for (LogEntry e : parseAll(Files.readAllBytes(r))) {
                    keep(initial, e, opts);
                }
            }
        }
        // The inode is read before the file is opened: should a rotation fall in between, the
        // keys differ and the reader moves on to the new file instead of missing it.
        Object currentKey = Files.exists(file) ? key(file) : null;
        FileChannel current = currentKey != null ? FileChannel.open(file, StandardOpenOption.READ) : null;
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        try {
            if (current != null) {
                for (LogEntry e : drain(current, partial)) {
                    keep(initial, e, opts);
                }
            }
            if (opts.tail() >= 0) {
                while (initial.size() > opts.tail()) {
                    initial.removeFirst();
                }
            }
            for (LogEntry e : initial) {
                sink.accept(e);
            }
            if (!opts.follow()) {
                return;
            }
            while (true) {
                boolean more = producing.getAsBoolean();
                if (current == null && Files.exists(file)) {
                    currentKey = key(file);
                    current = FileChannel.open(file, StandardOpenOption.READ);
                }
                if (current != null) {
                    for (LogEntry e : drain(current, partial)) {
                        if (selected(e, opts)) {
                            sink.accept(e);
                        }
                    }
                    if (rotatedAway(current, currentKey)) {
                        current.close();
                        current = null;
                        partial.reset();
                        continue;
                    }
                }
                if (!more) {
                    return;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            if (current != null) {
                current.close();
            }
        }
    }

    private static void keep(Deque<LogEntry> out, LogEntry e, LogOptions opts) {
        if (selected(e, opts)) {
            out.addLast(e);
            if (opts.tail() >= 0 && out.size() > opts.tail()) {
                out.removeFirst();
            }
        }
    }

    private static boolean selected(LogEntry e, LogOptions opts) {
        if (e.stream() == LogStream.STDOUT ? !opts.stdout() : !opts.stderr()) {
            return false;
        }
        if (opts.since() != null && e.time().isBefore(opts.since())) {
            return false;
        }
        return opts.until() == null || e.time().isBefore(opts.until());
    }

    /** Whether the file we hold is no longer the current log (rotation renamed or deleted it). */
    private boolean rotatedAway(FileChannel ch, Object heldKey) throws IOException {
        if (!Files.exists(file)) {
            return true;
        }
        return Files.size(file) < ch.position() || !key(file).equals(heldKey);
    }

    private static Object key(Path p) throws IOException {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    /** Entries from the channel's position to its end; a trailing partial line is kept in {@code partial}. */
    private static List<LogEntry> drain(FileChannel ch, ByteArrayOutputStream partial) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (ch.read(buf) > 0) {
            buf.flip();
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (b == '\n') {
                    out.add(parse(partial.toByteArray()));
                    partial.reset();
                } else {
                    partial.write(b);
                }
            }
            buf.clear();
        }
        return out;
    }

    static List<LogEntry> parseAll(byte[] content) {
        List<LogEntry> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                out.add(parse(java.util.Arrays.copyOfRange(content, start, i)));
                start = i + 1;
            }
        }
        return out;
    }

    static LogEntry parse(byte[] json) {
        try {
            JsonNode n = EngineJson.mapper().readTree(json);
            LogStream stream = "stderr".equals(n.path("stream").asText()) ? LogStream.STDERR : LogStream.STDOUT;
            return new LogEntry(stream, Instant.parse(n.path("time").asText()),
                    n.path("log").asText().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new GantryException(ErrorKind.INTERNAL, "log entry \"" + new String(json, StandardCharsets.UTF_8)
                    + "\": malformed: " + e.getMessage(), e);
        }
    }
}
