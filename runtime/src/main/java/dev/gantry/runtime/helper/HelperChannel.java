package dev.gantry.runtime.helper;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.sys.Received;
import dev.gantry.sys.Syscalls;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The runtime's end of the socket to the helper (fd 3 on the helper's side): frames of
 * [u32 type][u32 length][payload]. Reads are bounded by a deadline so that a helper that
 * hangs cannot hang the runtime. Call from a platform thread (reads block in poll(2)).
 */
public final class HelperChannel implements AutoCloseable {
    /** Frame types; helper.c uses the same numbers. */
    public static final int PLAN = 1, GO = 2, RESUME = 3, PID = 10, SYNC = 11, READY = 12, ERROR = 13, PTY = 14;

    /** One frame from the helper; {@code fd} is the descriptor that came with a PTY frame, or -1. */
    public record Frame(int type, byte[] payload, int fd) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Syscalls sys;
    private final int fd;

    public HelperChannel(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    public void send(int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(payload.length).put(payload);
        sys.write(fd, b.array(), 0, b.capacity());
    }

    /** The next frame, or null at end of stream (the helper and its child closed their ends). */
    public Frame receive(long deadlineNanos) {
        byte[] header = new byte[8];
        // The header read may carry an SCM_RIGHTS descriptor (the pty master).
        int got = 0, fdIn = -1;
        while (got < 8) {
            awaitReadable(deadlineNanos);
            Received r = sys.recvWithFd(fd, 8 - got);
            if (r.fd() >= 0) {
                fdIn = r.fd();
            }
            if (r.data().length == 0) {
                if (got == 0) {
                    return null;
                }
                throw new GantryException(ErrorKind.INTERNAL, "container init closed its channel mid-message");
            }
            System.arraycopy(r.data(), 0, header, got, r.data().length);
            got += r.data().length;
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int type = h.getInt(), len = h.getInt();
        if (len < 0 || len > (1 << 20)) {
            throw new GantryException(ErrorKind.INTERNAL, "container init sent a frame of " + len + " bytes");
        }
        byte[] payload = new byte[len];
        int off = 0;
        while (off < len) {
            awaitReadable(deadlineNanos);
            int n = sys.read(fd, payload, off, len - off);
            if (n == 0) {
                throw new GantryException(ErrorKind.INTERNAL, "container init closed its channel mid-message");
            }
            off += n;
        }
        return new Frame(type, payload, fdIn);
    }

    private void awaitReadable(long deadlineNanos) {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0 || sys.poll(fd, Syscalls.POLLIN, (int) Math.min(left, Integer.MAX_VALUE)) == 0) {
            throw new GantryException(ErrorKind.TIMEOUT, "container init did not answer in time");
        }
    }

    @Override
    public void close() {
        sys.close(fd);
    }
}
