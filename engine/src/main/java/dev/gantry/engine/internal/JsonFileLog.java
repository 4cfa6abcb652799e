package dev.gantry.engine.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.LogConfig;
import dev.gantry.engine.LogStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Docker's json-file log: one JSON object per entry,
 * {@code {"log":"text\n","stream":"stdout","time":"2024-05-01T10:00:00.123456789Z"}}. The
 * current file is {@code <name>}; when writing an entry would take it past {@code maxSize},
 * it becomes {@code <name>.1} (older ones shift up to {@code <name>.<maxFile-1>}, the oldest is
 * deleted) and a new current file starts. One writer per container; each entry is one
 * {@code write(2)}, so readers never see half an entry except at the very end of the file.
 */
public final class JsonFileLog implements AutoCloseable {
    private final Path file;
    private final LogConfig config;
    private FileChannel channel;
    private long size;

    public JsonFileLog(Path file, LogConfig config) {
        this.file = file;
        this.config = config;
        open();
    }

    private void open() {
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            size = channel.size();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "opening log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Encodes one entry. */
    static byte[] encode(LogStream stream, Instant time, byte[] line, int off, int len) {
        String text = new String(line, off, len, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(len + 80);
        b.append("{\"log\":\"");
        JsonStringEncoder.getInstance().quoteAsString(text, b);
        b.append("\",\"stream\":\"").append(stream.wire()).append("\",\"time\":\"").append(time).append("\"}\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public synchronized void write(LogStream stream, Instant time, byte[] line, int off, int len) throws IOException {
        byte[] entry = encode(stream, time, line, off, len);
        if (config.maxSize() > 0 && size > 0 && size + entry.length > config.maxSize()) {
            rotate();
        }
        ByteBuffer buf = ByteBuffer.wrap(entry);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        size += entry.length;
    }

    private void rotate() throws IOException {
        channel.close();
        if (config.maxFile() > 1) {
            Files.deleteIfExists(rotated(file, config.maxFile() - 1));
            for (int i = config.maxFile() - 2; i >= 1; i--) {
                if (Files.exists(rotated(file, i))) {
                    Files.move(rotated(file, i), rotated(file, i + 1), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.move(file, rotated(file, 1), StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.delete(file);
        }
        open();
    }

    static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "closing log " + file + ": " + e.getMessage(), e);
        }
    }
}
