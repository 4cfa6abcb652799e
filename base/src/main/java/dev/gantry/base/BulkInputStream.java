package dev.gantry.base;

import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} whose subclasses implement only {@link #read(byte[], int, int)}: the
 * one-byte {@link #read()} goes through it, so end of stream, failures and bookkeeping live in
 * one method.
 */
public abstract class BulkInputStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
