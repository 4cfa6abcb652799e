package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.Config;
import dev.gantry.engine.ContainerState;
import dev.gantry.engine.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStoreTest {
    @TempDir
    Path root;

    private static ContainerRecord rec(String id, String name) {
        return new ContainerRecord(id, name, "2024-01-01T00:00:00Z", "img", "sha256:" + "0".repeat(64), null,
                Config.of("img"), HostConfig.defaults(), ContainerState.created(), 0, false, null, null);
    }

    @Test
    void resolvesIdNameAndUniquePrefix() {
        ContainerStore s = ContainerStore.open(root, p -> { });
        String a = "abc" + "1".repeat(61);
        String b = "abd" + "2".repeat(61);
        s.add(rec(a, "web"));
        s.add(rec(b, "db"));
        assertThat(s.resolve(a)).isEqualTo(a);
        assertThat(s.resolve("web")).isEqualTo(a);
        assertThat(s.resolve("/db")).isEqualTo(b);
        assertThat(s.resolve("abc")).isEqualTo(a);
        assertThatThrownBy(() -> s.resolve("ab")).isInstanceOf(GantryException.class)
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThatThrownBy(() -> s.resolve("zzz")).hasMessage("No such container: zzz");
    }

    @Test
    void namesAreUniqueAndRenameFreesTheOldOne() {
        ContainerStore s = ContainerStore.open(root, p -> { });
        String a = Ids.random();
        s.add(rec(a, "web"));
        assertThatThrownBy(() -> s.add(rec(Ids.random(), "web"))).isInstanceOf(GantryException.class)
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
        s.put(s.get(a).withName("api"));
        assertThat(s.nameTaken("web")).isFalse();
        assertThat(s.resolve("api")).isEqualTo(a);
    }

    @Test
    void anUnchangedRecordIsNotRewrittenAndAChangedOneIsANewGeneration() throws Exception {
        ContainerStore s = ContainerStore.open(root, p -> { });
        String a = Ids.random();
        s.add(rec(a, "web"));
        assertThat(files(s.dir(a))).containsExactly("container.1.json");
        s.put(rec(a, "web"));
        assertThat(files(s.dir(a))).containsExactly("container.1.json");
        s.put(s.get(a).withRestart(1, false));
        assertThat(files(s.dir(a))).containsExactly("container.2.json");
        assertThat(ContainerStore.open(root, p -> { }).get(a).restartCount()).isEqualTo(1);
    }

    @Test
    void removingDeletesTheRecordSoThatTheDirectoryIsAnOrphan() throws Exception {
        ContainerStore s = ContainerStore.open(root, p -> { });
        String a = Ids.random();
        s.add(rec(a, "web"));
        s.put(s.get(a).withRestart(2, false));
        s.remove(a);
        assertThat(s.exists(a)).isFalse();
        assertThat(s.nameTaken("web")).isFalse();
        List<Path> orphans = new ArrayList<>();
        assertThat(ContainerStore.open(root, orphans::add).exists(a)).isFalse();
        assertThat(orphans).containsExactly(root.resolve(a));
    }

    @Test
    void aTornNewestGenerationLeftByACrashYieldsThePreviousOne() throws Exception {
        ContainerStore s = ContainerStore.open(root, p -> { });
        String a = Ids.random();
        s.add(rec(a, "web"));
        s.put(s.get(a).withRestart(1, false));
        byte[] whole = Files.readAllBytes(s.dir(a).resolve("container.2.json"));
        // kill -9 between writing generation 3 and unlinking 2, with generation 3 cut short;
        // and the zeros or nothing that a power loss can leave of generation 4.
        Files.write(s.dir(a).resolve("container.3.json"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.write(s.dir(a).resolve("container.4.json"), new byte[whole.length]);
        Files.write(s.dir(a).resolve("container.5.json"), new byte[0]);
        ContainerStore again = ContainerStore.open(root, p -> { });
        assertThat(again.get(a).restartCount()).isEqualTo(1);
        assertThat(files(again.dir(a))).containsExactly("container.2.json");
        again.put(again.get(a).withRestart(3, false));
        assertThat(files(again.dir(a))).containsExactly("container.3.json");
        assertThat(ContainerStore.open(root, p -> { }).get(a).restartCount()).isEqualTo(3);
    }

    @Test
    void aWholeRecordThatDoesNotReadIsAnErrorNotAnOrphan() throws Exception {
        String a = Ids.random();
        Files.createDirectories(root.resolve(a));
        // Whole JSON of another format: not what a crash leaves, so nothing is deleted for it.
        Files.writeString(root.resolve(a).resolve("container.3.json"), "{\"id\":\"" + a + "\",\"state\":\"running\"}");
        List<Path> orphans = new ArrayList<>();
        assertThatThrownBy(() -> ContainerStore.open(root, orphans::add)).isInstanceOf(GantryException.class)
                .hasMessageContaining("container.3.json");
        assertThat(orphans).isEmpty();
        assertThat(root.resolve(a).resolve("container.3.json")).exists();
    }

    @Test
    void aCompleteNewerGenerationWinsAndTheOlderGoes() throws Exception {
        ContainerStore s = ContainerStore.open(root, p -> { });
        String a = Ids.random();
        s.add(rec(a, "web"));
        // kill -9 after generation 2 was written whole, before generation 1 was unlinked.
        Files.write(s.dir(a).resolve("container.2.json"), EngineJson.write(s.get(a).withName("api")));
        ContainerStore again = ContainerStore.open(root, p -> { });
        assertThat(again.resolve("api")).isEqualTo(a);
        assertThat(files(again.dir(a))).containsExactly("container.2.json");
    }

    @Test
    void readsTheRecordOfEarlierVersionsAndReplacesIt() throws Exception {
        String a = Ids.random();
        Files.createDirectories(root.resolve(a));
        Files.write(root.resolve(a).resolve("container.json"), EngineJson.write(rec(a, "old")));
        Files.writeString(root.resolve(a).resolve(".container.json.tmp"), "{");
        ContainerStore s = ContainerStore.open(root, p -> { });
        assertThat(s.get(a).name()).isEqualTo("old");
        assertThat(files(s.dir(a))).containsExactly("container.json");
        s.put(s.get(a).withName("new"));
        assertThat(files(s.dir(a))).containsExactly("container.1.json");
        assertThat(ContainerStore.open(root, p -> { }).resolve("new")).isEqualTo(a);
    }

    @Test
    void recordsWrittenForKillOnlyAndDurablyReadBackAlike() {
        // A --rm container's record is not synced (not observable without a power cut).
        ContainerStore s = ContainerStore.open(root, p -> { });
        String kept = Ids.random();
        String rm = Ids.random();
        s.add(rec(kept, "kept"));
        ContainerRecord disposable = rec(rm, "rm").withHostConfig(HostConfig.defaults().toBuilder().autoRemove(true).build());
        s.add(disposable);
        ContainerStore again = ContainerStore.open(root, p -> { });
        assertThat(again.get(kept).hostConfig().autoRemove()).isFalse();
        assertThat(again.get(rm)).isEqualTo(disposable);
    }

    private static List<String> files(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void recordsSurviveReopeningAndDirectoriesWithoutOneAreOrphans() throws Exception {
        ContainerStore s = ContainerStore.open(root, p -> { });
        String a = Ids.random();
        s.add(rec(a, "web"));
        String half = Ids.random();
        Files.createDirectories(root.resolve(half));
        List<Path> orphans = new ArrayList<>();
        ContainerStore again = ContainerStore.open(root, orphans::add);
        assertThat(again.get(a).name()).isEqualTo("web");
        assertThat(orphans).containsExactly(root.resolve(half));
        assertThat(root.resolve(a).resolve(".container.json.tmp")).doesNotExist();
    }

    @Test
    void namesAreCheckedAndIdsAreNeverAllDigitsInShortForm() {
        assertThat(ContainerStore.checkName("/my-app_1.2")).isEqualTo("my-app_1.2");
        assertThatThrownBy(() -> ContainerStore.checkName("-bad")).hasMessageContaining("name");
        for (int i = 0; i < 200; i++) {
            String id = Ids.random();
            assertThat(Ids.isFull(id)).isTrue();
            assertThat(id.substring(0, 12)).doesNotMatch("[0-9]{12}");
        }
    }

    @Test
    void generatedNamesAreAdjectiveUnderscoreSurnameAndAvoidTakenOnes() {
        NameGenerator g = new NameGenerator();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String n = g.generate(taken::contains);
            assertThat(n).matches("[a-z]+_[a-z]+[0-9]?");
            assertThat(taken.add(n)).isTrue();
        }
    }
}
