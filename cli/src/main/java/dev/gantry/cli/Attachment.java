package dev.gantry.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The I/O of a hijacked attach or exec connection: the container's output to stdout/stderr on
 * the calling thread, and, when stdin is attached, this process's stdin to the container on a
 * platform thread (it blocks in read(2) on fd 0). End of stdin half-closes the connection so
 * the container sees end of file; the detach keys end the session at once, leaving the
 * container running.
 */
public final class Attachment {
    private Attachment() {}

    /** How the session ended. */
    public enum End { OUTPUT_CLOSED, DETACHED }

    public static End pump(Response hijacked, boolean tty, InputStream stdin, DetachKeys keys) throws IOException {
        AtomicBoolean detached = new AtomicBoolean();
        if (stdin != null) {
            OutputStream toContainer = hijacked.output();
            Thread.ofPlatform().daemon().name("stdin").start(() -> {
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = stdin.read(buf)) > 0; ) {
                        DetachKeys.Fed fed = keys == null ? new DetachKeys.Fed(buf, n, false) : keys.feed(buf, n);
                        if (fed.length() > 0) {
                            toContainer.write(fed.forward(), 0, fed.length());
                            toContainer.flush();
                        }
                        if (fed.detach()) {
                            detached.set(true);
                            hijacked.close();
                            return;
                        }
                    }
                    hijacked.closeWrite();
                } catch (IOException | RuntimeException e) {
                    // The container's side closed first: nothing more to send.
                }
            });
        }
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        try {
            StdStreams.copy(hijacked.body(), tty, out, err);
        } catch (IOException e) {
            if (!detached.get()) {
                throw e;
            }
        }
        return detached.get() ? End.DETACHED : End.OUTPUT_CLOSED;
    }
}
