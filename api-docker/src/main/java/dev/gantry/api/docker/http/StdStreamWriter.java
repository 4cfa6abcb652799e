package dev.gantry.api.docker.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes Docker's multiplexed stream format, used for attach, exec and logs when the
 * process has no TTY: each frame is an 8-byte header — the stream type (0 stdin, 1 stdout,
 * 2 stderr), three zero bytes, the payload length as a big-endian unsigned 32-bit integer —
 * followed by the payload. Header and payload leave in one write so that frames from
 * concurrent stdout and stderr pumps never interleave; writes are serialised for the same
 * reason. It does not flush: a hijacked connection sends every write at once, and a chunked
 * response flushes where its route decides (per entry only when following).
 */
public final class StdStreamWriter implements StdSink {
    /** Frames are cut at this size so one huge write does not become one huge buffer. */
    static final int MAX_FRAME_PAYLOAD = 1 << 20;

    private final OutputStream out;

    public StdStreamWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public synchronized void write(StdStream stream, byte[] data, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.length);
        int done = 0;
        do {
            int n = Math.min(length - done, MAX_FRAME_PAYLOAD);
            byte[] frame = new byte[8 + n];
            frame[0] = (byte) stream.code();
            frame[4] = (byte) (n >>> 24);
            frame[5] = (byte) (n >>> 16);
            frame[6] = (byte) (n >>> 8);
            frame[7] = (byte) n;
            System.arraycopy(data, offset + done, frame, 8, n);
            out.write(frame);
            done += n;
        } while (done < length);
    }

    /** An OutputStream whose every write becomes frames of the given stream type. */
    public OutputStream stream(StdStream stream) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    StdStreamWriter.this.write(stream, b, off, len);
                }
            }
        };
    }
}
