package dev.gantry.oci.runtime;

/** Terminal size in characters; runtimes ignore it unless {@code process.terminal} is true. */
public record ConsoleSize(long height, long width) {
}
