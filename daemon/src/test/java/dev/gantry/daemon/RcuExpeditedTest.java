package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RcuExpeditedTest {
    @TempDir
    Path dir;

    @Test
    void turnsTheSwitchOnOnlyWhenItIsOff() throws Exception {
        Path knob = Files.writeString(dir.resolve("rcu_expedited"), "0\n");
        assertThat(RcuExpedited.enable(knob)).isTrue();
        assertThat(Files.readString(knob)).isEqualTo("1\n");
        assertThat(RcuExpedited.enable(knob)).as("already on").isFalse();
        assertThat(Files.readString(knob)).isEqualTo("1\n");
    }

    @Test
    void aKernelWithoutTheSwitchIsUnavailableNamingIt() {
        Path missing = dir.resolve("rcu_expedited");
        assertThatThrownBy(() -> RcuExpedited.enable(missing))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining(missing.toString());
    }
}
