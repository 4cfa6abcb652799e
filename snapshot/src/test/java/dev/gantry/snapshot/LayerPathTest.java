package dev.gantry.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LayerPathTest {
    @Test
    void cleansHarmlessPrefixes() {
        assertThat(LayerApplier.clean("./a//b/./c/", "m")).isEqualTo("a/b/c");
        assertThat(LayerApplier.clean("./", "m")).isEmpty();
    }

    @Test
    void refusesEscapes() {
        assertThatThrownBy(() -> LayerApplier.clean("../etc/passwd", "m")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> LayerApplier.clean("a/../../b", "m")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> LayerApplier.clean("/etc/passwd", "m")).hasMessageContaining("absolute path");
    }
}
