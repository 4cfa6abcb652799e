package dev.gantry.oci.runtime;

/**
 * One {@code setrlimit(2)} entry. {@code hard}/{@code soft} are uint64 bit patterns
 * ({@code -1L} is RLIM_INFINITY); both are required.
 */
public record PosixRlimit(String type, @Uint64 Long hard, @Uint64 Long soft) {
}
