package dev.gantry.image;

import dev.gantry.image.progress.ProgressListener;
import dev.gantry.oci.image.Platform;

/** Options of a pull: the platform to select from an index, and where progress goes. */
public record PullOptions(Platform platform, ProgressListener progress) {
    public static final PullOptions DEFAULT = new PullOptions(Platform.LINUX_AMD64, ProgressListener.NONE);
}
