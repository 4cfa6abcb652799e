package dev.gantry.api.docker.http;

import dev.gantry.api.docker.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The body of a chunked response, written by a handler on its virtual thread (logs, events,
 * stats, pull progress, tar exports). Bytes are buffered until {@link #flush()} or until
 * {@value #BUFFER} bytes pile up; each flush sends one HTTP chunk. The response headers go
 * out with the first chunk, so a handler that fails before writing anything still gets a
 * proper error status. Writes block while the client is slow and throw {@link IOException}
 * once it has gone.
 */
public final class ResponseStream extends OutputStream {
    static final int BUFFER = 32 * 1024;

    private final Channel channel;
    private final WritableGate gate;
    private final Supplier<HttpResponse> head;
    private byte[] buf = new byte[BUFFER];
    private int count;
    private boolean committed;
    private boolean closed;

    ResponseStream(Channel channel, WritableGate gate, Supplier<HttpResponse> head) {
        this.channel = channel;
        this.gate = gate;
        this.head = head;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        if (count + len > buf.length) {
            flush();
        }
        if (len > buf.length) {
            send(Arrays.copyOfRange(b, off, off + len));
            return;
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /** Writes one JSON document followed by a newline and flushes it (the events/progress framing). */
    public void writeJson(Object value) throws IOException {
        byte[] json = Json.write(value);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        write(line);
        flush();
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (count > 0) {
            byte[] chunk = Arrays.copyOf(buf, count);
            count = 0;
            send(chunk);
        } else {
            commit();
        }
    }

    /** True once the headers went out: an error can then only cut the stream short. */
    public boolean committed() {
        return committed;
    }

    /** Sends what is buffered and the terminating chunk. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        buf = null;
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private void send(byte[] chunk) throws IOException {
        gate.await();
        commit();
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
    }

    private void commit() throws IOException {
        if (!committed) {
            if (!channel.isActive()) {
                throw new IOException("the client closed the connection");
            }
            committed = true;
            channel.writeAndFlush(head.get());
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("response stream already closed");
        }
    }
}
