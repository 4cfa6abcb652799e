package dev.gantry.snapshot;

import dev.gantry.base.GantryException;

/**
 * Caps that refuse a decompression bomb: the total uncompressed size of one layer, and the
 * ratio of uncompressed to compressed bytes once more than {@code ratioFloorBytes} came out
 * (small, highly compressible layers such as empty files are normal).
 */
public record UnpackLimits(long maxUncompressedBytes, double maxRatio, long ratioFloorBytes) {

    /** 64 GiB per layer and a 1000:1 ratio beyond 64 MiB: far above any real image. */
    public static final UnpackLimits DEFAULT = new UnpackLimits(64L << 30, 1000, 64L << 20);

    public UnpackLimits {
        if (maxUncompressedBytes <= 0 || maxRatio <= 1 || ratioFloorBytes < 0) {
            throw GantryException.invalid("unpack limits: sizes must be positive and the ratio above 1");
        }
    }
}
