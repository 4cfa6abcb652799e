package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandMergeTest {
    private static final List<String> IMG_EP = List.of("/entry");
    private static final List<String> IMG_CMD = List.of("default", "args");

    @Test
    void nothingRequestedTakesTheImagesEntrypointAndCmd() {
        assertThat(CommandMerge.args(null, null, IMG_EP, IMG_CMD)).containsExactly("/entry", "default", "args");
    }

    @Test
    void requestCmdReplacesOnlyTheImagesCmd() {
        assertThat(CommandMerge.args(null, List.of("x"), IMG_EP, IMG_CMD)).containsExactly("/entry", "x");
    }

    @Test
    void requestEntrypointDropsTheImagesCmd() {
        assertThat(CommandMerge.args(List.of("/other"), null, IMG_EP, IMG_CMD)).containsExactly("/other");
    }

    @Test
    void emptyEntrypointClearsTheImagesButKeepsItsCmd() {
        assertThat(CommandMerge.args(List.of(""), null, IMG_EP, IMG_CMD)).containsExactly("default", "args");
        assertThat(CommandMerge.args(List.of(), List.of("ls"), IMG_EP, IMG_CMD)).containsExactly("ls");
    }

    @Test
    void noCommandAnywhereIsRefused() {
        assertThatThrownBy(() -> CommandMerge.args(null, null, null, null)).hasMessageContaining("Config.Cmd");
    }

    @Test
    void requestEnvOverridesTheImagesByKeyInPlace() {
        assertThat(CommandMerge.env(List.of("PATH=/bin", "A=1"), List.of("A=2", "B=3")))
                .containsExactly("PATH=/bin", "A=2", "B=3");
        assertThatThrownBy(() -> CommandMerge.env(List.of(), List.of("=x"))).hasMessageContaining("Config.Env");
    }
}
