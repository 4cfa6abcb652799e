package dev.gantry.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a container's output from the daemon to this process's stdout and stderr. Without a
 * TTY the daemon multiplexes both on one stream, each frame behind an 8-byte header
 * ({@code [stream, 0, 0, 0, size as big-endian uint32]}, stream 1 stdout and 2 stderr, per the
 * Engine API's "attach" documentation); with a TTY the stream is the terminal's raw output.
 */
public final class StdStreams {
    private StdStreams() {}

    /** Copies until the stream ends; each frame is flushed at once (interactive output). */
    public static void copy(InputStream in, boolean tty, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] buf = new byte[32768];
        if (tty) {
            for (int n; (n = in.read(buf)) > 0; ) {
                stdout.write(buf, 0, n);
                stdout.flush();
            }
            return;
        }
        byte[] header = new byte[8];
        while (true) {
            int got = in.readNBytes(header, 0, 8);
            if (got == 0) {
                return;
            }
            if (got < 8) {
                throw new EOFException("stream ended inside a frame header");
            }
            OutputStream target = header[0] == 2 ? stderr : stdout;
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            while (size > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size));
                if (n < 0) {
                    throw new EOFException("stream ended inside a frame");
                }
                target.write(buf, 0, n);
                size -= n;
            }
            target.flush();
        }
    }
}
