package dev.gantry.oci.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void computesAndParsesSha256() {
        Digest d = Digest.sha256(new byte[0]);
        assertThat(d.toString()).isEqualTo("sha256:" + EMPTY_SHA256);
        assertThat(Digest.parse(d.toString())).isEqualTo(d);
        assertThat(d.algorithm()).isEqualTo(DigestAlgorithm.SHA256);
    }

    @Test
    void acceptsSha512() {
        String hex = "a".repeat(128);
        assertThat(Digest.parse("sha512:" + hex).hex()).isEqualTo(hex);
    }

    @Test
    void refusesMalformedDigests() {
        assertThatThrownBy(() -> Digest.parse("sha256:" + EMPTY_SHA256.toUpperCase())).isInstanceOf(GantryException.class)
                .hasMessageContaining("lowercase hex");
        assertThatThrownBy(() -> Digest.parse("md5:abc")).hasMessageContaining("unsupported algorithm");
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).hasMessageContaining("64 hex");
        assertThatThrownBy(() -> Digest.parse("nocolon")).hasMessageContaining("<algorithm>:<hex>");
        assertThatThrownBy(() -> Digest.parse("sha256:../../" + "a".repeat(58))).isInstanceOf(GantryException.class);
    }

    @Test
    void chainIdFollowsTheSpecFormula() {
        Digest a = Digest.sha256("a");
        Digest b = Digest.sha256("b");
        assertThat(ChainId.of(java.util.List.of(a, b)))
                .containsExactly(a, Digest.sha256(a + " " + b));
    }

    @Test
    void platformParsesAndMatches() {
        Platform arm = Platform.parse("linux/arm64/v8");
        assertThat(arm.architecture()).isEqualTo("arm64");
        assertThat(arm.variant()).isEqualTo("v8");
        assertThat(Platform.parse("linux/arm64").matches(arm)).isTrue();
        assertThat(arm.matches(Platform.parse("linux/arm64"))).isFalse();
        assertThat(Platform.LINUX_AMD64.matches(arm)).isFalse();
        assertThatThrownBy(() -> Platform.parse("linux")).isInstanceOf(GantryException.class);
    }
}
