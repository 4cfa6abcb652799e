package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.MountSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountedPathTest {
    private static final List<MountSpec> MOUNTS = List.of(
            new MountSpec(MountSpec.Type.BIND, "/srv/data", "/data", false, null, false, 0, 0),
            new MountSpec(MountSpec.Type.VOLUME, "inner", "/data/inner", true, null, false, 0, 0),
            new MountSpec(MountSpec.Type.TMPFS, "", "/run/t", false, null, false, 0, 0));

    private static MountedPath find(String path) {
        return MountedPath.find(path, MOUNTS, List.of("/scratch"), name -> "/volumes/" + name + "/_data").orElseThrow();
    }

    @Test
    void theInnermostMountHoldsThePath() {
        assertThat(find("/data/a/b")).isEqualTo(new MountedPath(Path.of("/srv/data"), "/a/b", false, "b"));
        assertThat(find("/data/inner/x")).isEqualTo(new MountedPath(Path.of("/volumes/inner/_data"), "/x", true, "x"));
        assertThat(find("/data")).isEqualTo(new MountedPath(Path.of("/srv/data"), "/", false, "data"));
        assertThat(find("/data/./../data/a/")).isEqualTo(new MountedPath(Path.of("/srv/data"), "/a/", false, "a"));
        assertThat(find("/data/.")).isEqualTo(new MountedPath(Path.of("/srv/data"), "/.", false, "."));
        assertThat(MountedPath.find("/database/x", MOUNTS, List.of(), n -> n)).as("a prefix that is not a parent").isEmpty();
        assertThat(MountedPath.find("/etc/hosts", MOUNTS, List.of(), n -> n)).isEmpty();
    }

    @Test
    void tmpfsContentIsOutOfReach() {
        assertThatThrownBy(() -> find("/run/t/x")).hasMessageContaining("tmpfs mount at /run/t");
        assertThatThrownBy(() -> find("/scratch")).hasMessageContaining("tmpfs mount at /scratch");
    }
}
