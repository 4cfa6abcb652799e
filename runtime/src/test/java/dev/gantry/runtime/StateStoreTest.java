package dev.gantry.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path root;

    private static ContainerRecord record(String id, int pid) {
        return new ContainerRecord(id, "/bundle", "/bundle/rootfs", pid, 42L, "2026-11-23T00:00:00Z", "root", false,
                "/gantry/" + id, Map.of("ociVersion", "1.2.0"));
    }

    @Test
    void aSaveReplacesTheStateAndLeavesNoOtherFile() throws Exception {
        StateStore store = new StateStore(root);
        store.create("c1");
        store.save(record("c1", 10));
        store.save(record("c1", 11));
        assertThat(store.load("c1").pid()).isEqualTo(11);
        try (var files = Files.list(root.resolve("c1"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
        assertThat(store.ids()).containsExactly("c1");
    }

    @Test
    void aCrashBetweenTheUnlinkAndTheLastRenameLeavesTheCompleteNewState() throws Exception {
        StateStore store = new StateStore(root);
        store.create("c2");
        store.save(record("c2", 20));
        Path dir = root.resolve("c2");
        Files.move(dir.resolve("state.json"), dir.resolve("state.json.4242-7.new"));
        assertThat(store.exists("c2")).isTrue();
        assertThat(store.ids()).containsExactly("c2");
        assertThat(store.load("c2").pid()).isEqualTo(20);
        store.save(record("c2", 21));
        assertThat(store.load("c2").pid()).as("state.json again, not the crashed writer's older file").isEqualTo(21);
    }

    @Test
    void aPartlyWrittenTemporaryFileIsNeverRead() throws Exception {
        StateStore store = new StateStore(root);
        store.create("c3");
        Path dir = root.resolve("c3");
        Files.writeString(dir.resolve("state.json.tmp"), "{\"id\":\"c3\",\"pi");
        assertThat(store.exists("c3")).as("a crash during the first save").isFalse();
        assertThat(store.ids()).isEmpty();
        assertThatThrownBy(() -> store.load("c3")).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        store.save(record("c3", 30));
        Files.writeString(dir.resolve("state.json.tmp"), "{\"id\":\"c3\",\"pi");
        assertThat(store.load("c3").pid()).as("a crash during a later save").isEqualTo(30);
    }

    @Test
    void removeFreesTheIdAtOnceAndLeavesTheDeletionToTheDeleter() throws Exception {
        java.util.List<Path> handed = new java.util.ArrayList<>();
        StateStore store = new StateStore(root, new ProcInfo(Path.of("/proc")), rec -> false, handed::add);
        store.create("c4");
        store.save(record("c4", 40));
        store.remove("c4");
        assertThat(store.exists("c4")).isFalse();
        assertThat(store.ids()).isEmpty();
        assertThat(handed).hasSize(1);
        assertThat(handed.getFirst().getParent()).isEqualTo(root);
        assertThat(handed.getFirst().resolve("state.json")).as("renamed aside, not yet deleted").exists();
        store.create("c4");
        store.save(record("c4", 41));
        assertThat(store.load("c4").pid()).isEqualTo(41);
        store.remove("never-created");
        assertThat(handed).as("nothing to remove, nothing handed over").hasSize(1);

        store.deleteLeftovers();
        assertThat(handed.getFirst()).as("a process that died before deleting it").doesNotExist();
        assertThat(store.load("c4").pid()).isEqualTo(41);
    }

    @Test
    void concurrentSavesNeverLeaveTheContainerWithoutAState() throws Exception {
        StateStore store = new StateStore(root);
        store.create("c5");
        store.save(record("c5", 1));
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger misses = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try {
                    store.load("c5");
                } catch (GantryException e) {
                    misses.incrementAndGet();
                }
                if (!store.ids().contains("c5")) {
                    misses.incrementAndGet();
                }
            }
        });
        java.util.List<Thread> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int base = 100 * (w + 1);
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    store.save(record("c5", base + i));
                }
            }));
        }
        for (Thread t : writers) {
            t.join();
        }
        done.set(true);
        reader.join();
        assertThat(misses.get()).as("loads and listings that found no state").isZero();
        assertThat(store.load("c5").pid()).isIn(299, 399, 499, 599);
        try (var files = Files.list(root.resolve("c5"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }
}
