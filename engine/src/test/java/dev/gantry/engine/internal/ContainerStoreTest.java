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
    void anUnchangedRecordIsNotRewrittenAndAChangedOneIs() throws Exception {
        ContainerStore s = ContainerStore.open(root, p -> { });
        String a = Ids.random();
        s.add(rec(a, "web"));
        Path file = s.dir(a).resolve("container.json");
        Object inode = Files.getAttribute(file, "unix:ino");
        s.put(rec(a, "web"));
        assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
        s.put(s.get(a).withRestart(1, false));
        assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(inode);
        assertThat(ContainerStore.open(root, p -> { }).get(a).restartCount()).isEqualTo(1);
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
