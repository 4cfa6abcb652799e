package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the test JVM itself, read from {@code /proc/self} (no native calls needed). */
final class ProcSelf {
    private ProcSelf() {
    }

    /** The effective uid: the second number of the {@code Uid:} line of proc(5)'s status file. */
    static long effectiveUid() {
        try {
            return effectiveUid(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self/status", e);
        }
    }

    static long effectiveUid(String status) {
        return status.lines()
                .filter(line -> line.startsWith("Uid:"))
                .map(line -> line.substring(4).trim().split("\\s+")[1])
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Uid: line in /proc/self/status"));
    }
}
