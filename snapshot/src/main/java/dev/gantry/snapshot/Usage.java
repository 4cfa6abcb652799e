package dev.gantry.snapshot;

/** Disk use: bytes of file content (hardlinks counted once) and number of inodes. */
public record Usage(long bytes, long inodes) {
}
