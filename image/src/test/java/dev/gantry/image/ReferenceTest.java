package dev.gantry.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import org.junit.jupiter.api.Test;

class ReferenceTest {
    private static final String D = "sha256:" + "ab".repeat(32);

    @Test
    void normalizesLikeDocker() {
        assertThat(Reference.parse("busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(Reference.parse("busybox").familiar()).isEqualTo("busybox:latest");
        assertThat(Reference.parse("user/app:1.0").toString()).isEqualTo("docker.io/user/app:1.0");
        assertThat(Reference.parse("index.docker.io/library/alpine").toString()).isEqualTo("docker.io/library/alpine:latest");
        Reference local = Reference.parse("localhost:5000/a/b:tag");
        assertThat(local.domain()).isEqualTo("localhost:5000");
        assertThat(local.path()).isEqualTo("a/b");
        assertThat(local.tag()).isEqualTo("tag");
        assertThat(local.familiar()).isEqualTo("localhost:5000/a/b:tag");
        assertThat(Reference.parse("localhost/a").domain()).isEqualTo("localhost");
        assertThat(Reference.parse("127.0.0.1:5000/x").domain()).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void keepsDigestsAndTags() {
        Reference r = Reference.parse("busybox@" + D);
        assertThat(r.tag()).isNull();
        assertThat(r.digest().toString()).isEqualTo(D);
        assertThat(r.tagOrDigest()).isEqualTo(D);
        Reference both = Reference.parse("quay.io/a/b:v1@" + D);
        assertThat(both.tag()).isEqualTo("v1");
        assertThat(both.toString()).isEqualTo("quay.io/a/b:v1@" + D);
    }

    @Test
    void refusesBadSyntax() {
        assertThatThrownBy(() -> Reference.parse("")).isInstanceOf(GantryException.class);
        assertThatThrownBy(() -> Reference.parse("Busybox")).hasMessageContaining("invalid repository name component");
        assertThatThrownBy(() -> Reference.parse("busybox:bad tag")).hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> Reference.parse("a//b")).hasMessageContaining("invalid repository name component");
        assertThatThrownBy(() -> Reference.parse("busybox@sha256:short")).hasMessageContaining("64 hex");
        assertThatThrownBy(() -> Reference.parse("busybox:")).hasMessageContaining("invalid tag");
    }
}
