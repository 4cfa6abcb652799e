package dev.gantry.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Orlov placement hint on a new store's snapshot directory (no root needed). */
class TopDirHintTest {
    @TempDir
    Path root;

    @Test
    void aNewStoreMarksItsSnapshotDirectoryAsTopOfHierarchies() throws Exception {
        String before = lsattr(root);
        assumeThat(before).as("lsattr works on the temp filesystem (ext2/3/4)").isNotNull();
        new OverlaySnapshotter(root);
        assertThat(flags(lsattr(root.resolve("snapshots")))).contains("T");
    }

    @Test
    void anExistingStoreIsLeftAsFound() throws Exception {
        assumeThat(lsattr(root)).isNotNull();
        new OverlaySnapshotter(root);
        new ProcessBuilder("chattr", "-T", root.resolve("snapshots").toString()).start().waitFor();
        new OverlaySnapshotter(root);
        assertThat(flags(lsattr(root.resolve("snapshots")))).doesNotContain("T");
    }

    @Test
    void aFailedHintIsReportedNotThrown() {
        assertThat(TopDirHint.apply(root.resolve("missing"))).isFalse();
    }

    /** lsattr -d's flag column, or null where the filesystem has no such attributes. */
    private static String lsattr(Path p) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("lsattr", "-d", p.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return proc.waitFor() == 0 ? out : null;
    }

    private static String flags(String lsattrLine) {
        return lsattrLine.substring(0, lsattrLine.indexOf(' '));
    }
}
