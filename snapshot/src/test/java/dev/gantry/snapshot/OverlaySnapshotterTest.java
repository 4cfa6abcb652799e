package dev.gantry.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshotter's bookkeeping and mount plans, without mounting (no root needed). */
class OverlaySnapshotterTest {
    @TempDir
    Path root;

    @Test
    void plansBindMountsForBasesAndOverlaysForStacks() throws Exception {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        List<Mount> base = sn.prepare("base-key", null);
        assertThat(base).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("bind");
            assertThat(m.options()).contains("rw");
        });
        Files.writeString(sn.layerDir("base-key").resolve("f"), "x");
        sn.commit("L1", "base-key");
        sn.prepare("k2", "L1");
        sn.commit("L2", "k2");

        List<Mount> ctr = sn.prepare("ctr", "L2");
        assertThat(ctr).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("overlay");
            // Newest parent first, as overlayfs stacks lowerdirs left over right.
            assertThat(m.options().getFirst()).isEqualTo("lowerdir=" + sn.layerDir("L2") + ":" + sn.layerDir("L1"));
            assertThat(m.options()).contains("upperdir=" + sn.layerDir("ctr"));
        });
        assertThat(sn.view("v1", "L1")).singleElement().satisfies(m -> assertThat(m.options()).contains("ro"));
        assertThat(sn.view("v2", "L2").getFirst().options()).noneMatch(o -> o.startsWith("upperdir="));
        assertThat(sn.stat("L2").kind()).isEqualTo(SnapshotInfo.Kind.COMMITTED);
        assertThat(sn.usage("L1").bytes()).isEqualTo(1);
    }

    @Test
    void enforcesTheLifecycle() throws Exception {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("a", null);
        assertThatThrownBy(() -> sn.prepare("a", null)).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS));
        assertThatThrownBy(() -> sn.prepare("b", "a")).hasMessageContaining("not committed");
        assertThatThrownBy(() -> sn.prepare("b", "missing")).hasMessageContaining("not found");
        sn.commit("A", "a");
        assertThatThrownBy(() -> sn.mounts("A")).hasMessageContaining("make a view");
        sn.view("v", "A");
        assertThatThrownBy(() -> sn.commit("V", "v")).hasMessageContaining("only active snapshots");
        assertThatThrownBy(() -> sn.remove("A")).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        sn.remove("v");
        sn.remove("A");
        List<SnapshotInfo> all = new ArrayList<>();
        sn.walk(all::add);
        assertThat(all).isEmpty();
        assertThat(root.resolve("snapshots").toFile().list()).doesNotContain("1", "2");
        awaitNoRemovedDirectories();
        assertThat(root.resolve("snapshots").toFile().list()).isEmpty();
    }

    @Test
    void aRemovedDirectoryLeftByACrashGoesAtTheNextOpen() throws Exception {
        Files.createDirectories(root.resolve("snapshots/7.removed/fs/sub"));
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("a", null);
        awaitNoRemovedDirectories();
        assertThat(root.resolve("snapshots").toFile().list()).containsExactly("1");
    }

    /** Removed snapshots' directories are deleted in the background. */
    private void awaitNoRemovedDirectories() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline
                && List.of(root.resolve("snapshots").toFile().list()).stream().anyMatch(n -> n.endsWith(".removed"))) {
            Thread.sleep(10);
        }
    }

    @Test
    void survivesReopenAndDropsOrphanDirectories() throws Exception {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("a", null);
        sn.commit("A", "a");
        Files.createDirectories(root.resolve("snapshots/999/fs"));
        OverlaySnapshotter again = new OverlaySnapshotter(root);
        assertThat(again.exists("A")).isTrue();
        assertThat(root.resolve("snapshots/999")).doesNotExist();
        again.prepare("b", "A");
        assertThat(again.stat("b").parent()).isEqualTo("A");
    }
}
