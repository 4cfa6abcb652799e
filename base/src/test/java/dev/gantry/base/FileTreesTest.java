package dev.gantry.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    private static final int FILE_BYTES = 100;
    private static final int FILES = 64;

    @Test
    void theSizeIsTheSumOfTheRegularFilesNotFollowingLinks(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("a"), new byte[10]);
        Files.createDirectories(dir.resolve("d/e"));
        Files.write(dir.resolve("d/e/b"), new byte[32]);
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a"));
        Files.createSymbolicLink(dir.resolve("d/up"), dir);
        assertThat(FileTrees.size(dir)).isEqualTo(42);
        assertThat(FileTrees.size(dir.resolve("missing"))).isZero();
    }

    @Test
    void filesAndDirectoriesThatVanishDuringTheWalkAreLeftOut(@TempDir Path dir) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        // A busy container's writable layer: files and directories come and go while it is measured.
        Thread churn = Thread.ofPlatform().start(() -> {
            try {
                for (long round = 0; !done.get(); round++) {
                    Path sub = dir.resolve("d" + (round % 4));
                    Files.createDirectories(sub);
                    for (int i = 0; i < FILES; i++) {
                        Files.write(sub.resolve("f" + i), new byte[FILE_BYTES]);
                    }
                    FileTrees.delete(sub);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            long deadline = System.nanoTime() + 3_000_000_000L;
            int walks = 0;
            while (System.nanoTime() < deadline || walks < 200) {
                // Never more than the four directories could hold at once.
                assertThat(FileTrees.size(dir)).as("walk " + walks).isBetween(0L, 4L * FILES * FILE_BYTES);
                walks++;
            }
        } finally {
            done.set(true);
            churn.join();
        }
    }
}
