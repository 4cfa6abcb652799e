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

    @Test
    void keepsEachSnapshotsMetadataInItsOwnDirectory() throws Exception {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("a", null);
        sn.commit("A", "a");
        sn.prepare("b", "A");
        assertThat(root.resolve("snapshots/1/info.json")).content().contains("\"A\"", "COMMITTED");
        assertThat(root.resolve("snapshots/2/info.json")).content().contains("\"b\"", "ACTIVE");
        assertThat(root.resolve("metadata.json")).doesNotExist();
        sn.remove("b");
        assertThat(root.resolve("snapshots/2")).doesNotExist();
        OverlaySnapshotter again = new OverlaySnapshotter(root);
        List<SnapshotInfo> all = new ArrayList<>();
        again.walk(all::add);
        assertThat(all).extracting(SnapshotInfo::name).containsExactly("A");
    }

    @Test
    void anActiveSnapshotCanBeSyncedForAPowerLoss() {
        // Whether it survives a power cut is not observable here; that it stays as it was is.
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("a", null);
        sn.commit("A", "a");
        sn.prepare("ctr", "A");
        sn.sync("ctr");
        assertThat(new OverlaySnapshotter(root).stat("ctr").kind()).isEqualTo(SnapshotInfo.Kind.ACTIVE);
        assertThatThrownBy(() -> sn.sync("nope")).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void aTornOrMissingMetadataFileIsAnInterruptedCreate() throws Exception {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("a", null);
        sn.commit("A", "a");
        sn.prepare("c", "A");
        String whole = Files.readString(root.resolve("snapshots/2/info.json"));
        // What kill -9 or a power loss can leave of a create: a prefix, an empty file, zeros, nothing.
        for (int id = 5; id <= 8; id++) {
            Files.createDirectories(root.resolve("snapshots/" + id + "/fs"));
        }
        Files.writeString(root.resolve("snapshots/5/info.json"), whole.substring(0, whole.length() - 2));
        Files.writeString(root.resolve("snapshots/6/info.json"), "");
        Files.write(root.resolve("snapshots/7/info.json"), new byte[whole.length()]);
        // A commit interrupted before its rename leaves the old metadata in force.
        Files.writeString(root.resolve("snapshots/2/info.json.tmp"), "{\"name\":\"C\"");

        OverlaySnapshotter again = new OverlaySnapshotter(root);
        assertThat(root.resolve("snapshots").toFile().list()).containsExactlyInAnyOrder("1", "2");
        assertThat(again.stat("A").kind()).isEqualTo(SnapshotInfo.Kind.COMMITTED);
        assertThat(again.stat("c").kind()).isEqualTo(SnapshotInfo.Kind.ACTIVE);
        again.commit("C", "c");
        assertThat(new OverlaySnapshotter(root).stat("C").parent()).isEqualTo("A");
        assertThat(root.resolve("snapshots/2/info.json.tmp")).doesNotExist();
        again.prepare("d", "C");
        assertThat(again.layerDir("d")).isEqualTo(root.resolve("snapshots/3/fs"));
    }

    @Test
    void wholeMetadataThatDoesNotReadIsAnErrorAndDeletesNothing() throws Exception {
        Files.createDirectories(root.resolve("snapshots/4/fs"));
        Files.writeString(root.resolve("snapshots/4/info.json"), "{\"name\":\"L\",\"kind\":\"SIDEWAYS\"}");
        assertThatThrownBy(() -> new OverlaySnapshotter(root)).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        Files.writeString(root.resolve("snapshots/4/info.json"), "{\"name\":\"L\"}");
        assertThatThrownBy(() -> new OverlaySnapshotter(root)).hasMessageContaining("no name or kind");
        assertThat(root.resolve("snapshots/4/fs")).isDirectory();
    }

    @Test
    void migratesTheSingleMetadataFileOfEarlierVersions() throws Exception {
        for (String d : List.of("1/fs", "1/work", "2/fs", "3/fs", "3/work")) {
            Files.createDirectories(root.resolve("snapshots").resolve(d));
        }
        Files.writeString(root.resolve("snapshots/1/fs/f"), "x");
        // The format before per-snapshot files; id 2 is an orphan, id 4 lost its directory.
        Files.writeString(root.resolve("metadata.json"), """
                {"nextId":5,"snapshots":{
                 "L1":{"id":1,"info":{"name":"L1","parent":null,"kind":"COMMITTED","created":"2026-01-01T00:00:00Z"}},
                 "ctr":{"id":3,"info":{"name":"ctr","parent":"L1","kind":"ACTIVE","created":"2026-01-02T00:00:00Z"}},
                 "gone":{"id":4,"info":{"name":"gone","parent":"L1","kind":"ACTIVE","created":"2026-01-03T00:00:00Z"}}}}
                """);
        // A migration interrupted after its first file: the legacy file is still the truth.
        Files.writeString(root.resolve("snapshots/1/info.json"), "{\"name\":\"L1\"");
        Files.writeString(root.resolve("metadata.json.tmp"), "{");

        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        assertThat(root.resolve("metadata.json")).doesNotExist();
        assertThat(root.resolve("metadata.json.tmp")).doesNotExist();
        assertThat(root.resolve("snapshots").toFile().list()).containsExactlyInAnyOrder("1", "3");
        assertThat(sn.stat("L1").kind()).isEqualTo(SnapshotInfo.Kind.COMMITTED);
        assertThat(sn.stat("ctr").parent()).isEqualTo("L1");
        assertThat(sn.exists("gone")).isFalse();
        assertThat(sn.usage("L1").bytes()).isEqualTo(1);

        OverlaySnapshotter again = new OverlaySnapshotter(root);
        assertThat(again.stat("ctr").created()).isEqualTo("2026-01-02T00:00:00Z");
        assertThat(again.mounts("ctr").getFirst().options()).contains("upperdir=" + root.resolve("snapshots/3/fs"));
        again.prepare("new", "L1");
        assertThat(again.layerDir("new")).isEqualTo(root.resolve("snapshots/4/fs"));
    }
}
