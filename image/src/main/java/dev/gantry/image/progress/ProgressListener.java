package dev.gantry.image.progress;

/**
 * Receives {@link ProgressEvent}s. Called from several download threads at once:
 * implementations must be thread-safe and quick (no blocking I/O beyond writing a line).
 */
@FunctionalInterface
public interface ProgressListener {
    void onEvent(ProgressEvent event);

    ProgressListener NONE = e -> { };
}
