package dev.gantry.image;

import dev.gantry.image.progress.ProgressListener;

/** Options of a push: chunk size for uploads (0: one PUT per blob) and where progress goes. */
public record PushOptions(long chunkSize, ProgressListener progress) {
    public static final PushOptions DEFAULT = new PushOptions(0, ProgressListener.NONE);
}
