package dev.gantry.testkit;

/** One {@code process.rlimits} entry, e.g. {@code new Rlimit("RLIMIT_NOFILE", 2048, 1024)}. */
public record Rlimit(String type, long hard, long soft) {
}
