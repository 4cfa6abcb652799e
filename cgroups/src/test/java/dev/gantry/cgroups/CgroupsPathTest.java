package dev.gantry.cgroups;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CgroupsPathTest {
    @Test
    void absentPathIsDefaultParentAndContainerId() {
        assertThat(CgroupsPath.of(null, "abc").relative()).isEqualTo("gantry/abc");
        assertThat(CgroupsPath.of("", "abc").relative()).isEqualTo("gantry/abc");
    }

    @Test
    void absolutePathIsTakenBelowEveryHierarchyRoot() {
        assertThat(CgroupsPath.of("/docker/abc", "x").relative()).isEqualTo("docker/abc");
        assertThat(CgroupsPath.of("/docker/abc", "x").toString()).isEqualTo("/docker/abc");
        assertThat(CgroupsPath.of("/a/b/", "x").segments()).containsExactly("a", "b");
    }

    @Test
    void relativePathGoesBelowTheDefaultParent() {
        assertThat(CgroupsPath.of("pod1/ctr", "x").relative()).isEqualTo("gantry/pod1/ctr");
        assertThat(CgroupsPath.of("ctr", "x", "other").relative()).isEqualTo("other/ctr");
    }

    @Test
    void systemdStylePathIsAClearInvalidArgument() {
        assertThatThrownBy(() -> CgroupsPath.of("system.slice:docker:abc", "abc"))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("systemd-style").hasMessageContaining("linux.cgroupsPath");
    }

    @Test
    void dotDotRootAndEmptySegmentsAreRefused() {
        assertThatThrownBy(() -> CgroupsPath.of("/a/../b", "x")).hasMessageContaining("\"..\"");
        assertThatThrownBy(() -> CgroupsPath.of("../escape", "x")).isInstanceOf(GantryException.class);
        assertThatThrownBy(() -> CgroupsPath.of("/", "x")).hasMessageContaining("root cgroup");
        assertThatThrownBy(() -> CgroupsPath.of("/a//b", "x")).isInstanceOf(GantryException.class);
    }
}
