package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerPathTest {
    @Test
    void cleansLexicallyAndStopsDotDotAtTheRoot() {
        assertThat(ContainerPath.of("/a/b/../c")).isEqualTo(new ContainerPath("/a/c", false, "c"));
        assertThat(ContainerPath.of("/../../etc/shadow").clean()).isEqualTo("/etc/shadow");
        assertThat(ContainerPath.of("etc//passwd").clean()).isEqualTo("/etc/passwd");
    }

    @Test
    void aTrailingSlashOrDotFollowsTheFinalLink() {
        assertThat(ContainerPath.of("/tmp/")).isEqualTo(new ContainerPath("/tmp", true, "tmp"));
        assertThat(ContainerPath.of("/tmp/.")).isEqualTo(new ContainerPath("/tmp", true, "."));
        assertThat(ContainerPath.of("/tmp").follow()).isFalse();
    }

    @Test
    void theRootAndItsChildren() {
        ContainerPath root = ContainerPath.of("/");
        assertThat(root.name()).isEqualTo("/");
        assertThat(root.relative()).isEqualTo(".");
        assertThat(ContainerPath.of("/bin").parent()).isEqualTo("/");
        assertThat(ContainerPath.of("/bin/sh").parent()).isEqualTo("/bin");
        assertThat(ContainerPath.of("/bin/sh").relative()).isEqualTo("bin/sh");
    }
}
