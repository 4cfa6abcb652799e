package dev.gantry.image.progress;

/**
 * What a pull or push reports, per layer (or config) identified by its short id (the first 12
 * hex digits of its digest, as Docker prints it).
 */
public sealed interface ProgressEvent {
    String id();

    /** The blob is already present where it is going; nothing to transfer. */
    record Exists(String id) implements ProgressEvent {
    }

    /** Transfer began; {@code total} bytes expected. */
    record Started(String id, long total) implements ProgressEvent {
    }

    /** {@code done} of {@code total} bytes transferred. */
    record Advanced(String id, long done, long total) implements ProgressEvent {
    }

    /** The blob was verified and stored (pull) or accepted (push). */
    record Completed(String id) implements ProgressEvent {
    }

    /** The blob was mounted from another repository (push). */
    record Mounted(String id, String from) implements ProgressEvent {
    }

    /** A pulled layer is being unpacked. */
    record Extracting(String id) implements ProgressEvent {
    }

    /** The layer is unpacked and ready. */
    record Extracted(String id) implements ProgressEvent {
    }
}
