package dev.gantry.api.docker.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A hijacked connection (attach, exec start): {@link #input()} yields what the client sends
 * (a container's stdin), ending when the client half-closes or disconnects; {@link #output()}
 * goes straight to the client, each write sent at once (interactive sessions cannot wait
 * for a buffer to fill). The server closes the connection when the handler returns.
 */
public final class RawStream {
    private final Channel channel;
    private final WritableGate gate;
    private final InputStream input;
    private final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            gate.await();
            channel.writeAndFlush(Unpooled.wrappedBuffer(Arrays.copyOfRange(b, off, off + len)));
        }
    };

    RawStream(Channel channel, WritableGate gate, InputStream input) {
        this.channel = channel;
        this.gate = gate;
        this.input = input;
    }

    public InputStream input() {
        return input;
    }

    public OutputStream output() {
        return output;
    }

    /**
     * Half-closes the connection: the client reads end-of-stream (the process's output is
     * over) while it may still send. Docker clients take this as the end of an attach.
     */
    public void closeOutput() {
        if (channel instanceof DuplexChannel duplex && channel.isActive()) {
            // Netty fails writes still queued at shutdown: wait for them first (writes
            // complete in order, so an empty write completing means all before it did).
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).awaitUninterruptibly();
            duplex.shutdownOutput().awaitUninterruptibly();
        }
    }

    /** False once the client has disconnected. */
    public boolean isOpen() {
        return channel.isActive();
    }
}
