package dev.gantry.snapshot;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Opens a layer blob as an uncompressed tar stream. The compression is recognised by its magic
 * bytes (media types lie, and docker-archive layers carry none); gzip is decoded, plain tar
 * passes through, zstd is refused. The output is metered against {@link UnpackLimits}.
 */
public final class LayerStreams {
    private LayerStreams() {
    }

    /** Compression of a layer as detected from its first bytes. */
    public enum Compression { NONE, GZIP, ZSTD }

    /** Detects the compression of {@code in}, which must support mark/reset. */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    /** The uncompressed tar stream of a layer blob, refusing bombs per {@code limits}. */
    public static InputStream uncompressed(InputStream blob, UnpackLimits limits) throws IOException {
        Counting compressed = new Counting(new BufferedInputStream(blob, 1 << 16));
        Compression c = detect(compressed);
        InputStream plain = switch (c) {
            case GZIP -> new GZIPInputStream(compressed, 1 << 16);
            case NONE -> compressed;
            case ZSTD -> throw new GantryException(ErrorKind.UNAVAILABLE, "layer: zstd compression is not supported");
        };
        return new Metered(plain, compressed, limits, c != Compression.NONE);
    }

    /**
     * A filter told of every byte read through it. Skipping reads too, so that nothing below
     * it (a digest, a meter) is bypassed.
     */
    abstract static class Observing extends FilterInputStream {
        Observing(InputStream in) {
            super(in);
        }

        /** {@code n} more bytes were read. */
        abstract void observed(int n);

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                observed(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                observed(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
            int r = read(buf, 0, buf.length);
            return Math.max(0, r);
        }
    }

    /** Counts the bytes read through it. */
    static final class Counting extends Observing {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        void observed(int n) {
            count += n;
        }
    }

    /** Enforces the limits on the uncompressed side. */
    private static final class Metered extends Observing {
        private final Counting compressed;
        private final UnpackLimits limits;
        private final boolean checkRatio;
        private long produced;

        Metered(InputStream in, Counting compressed, UnpackLimits limits, boolean checkRatio) {
            super(in);
            this.compressed = compressed;
            this.limits = limits;
            this.checkRatio = checkRatio;
        }

        @Override
        void observed(int n) {
            produced += n;
            check();
        }

        private void check() {
            if (produced > limits.maxUncompressedBytes()) {
                throw new GantryException(ErrorKind.INVALID_ARGUMENT, "layer refused: uncompressed size exceeds "
                        + limits.maxUncompressedBytes() + " bytes (decompression bomb?)");
            }
            if (checkRatio && produced > limits.ratioFloorBytes()
                    && produced > limits.maxRatio() * Math.max(1, compressed.count)) {
                throw new GantryException(ErrorKind.INVALID_ARGUMENT, "layer refused: compression ratio exceeds "
                        + limits.maxRatio() + ":1 (decompression bomb?)");
            }
        }
    }
}
