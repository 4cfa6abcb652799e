package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.ContainerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthcheckTest {
    private static final long MS = 1_000_000;

    @Test
    void commandsAndDefaults() {
        Healthcheck shell = new Healthcheck(List.of("CMD-SHELL", "curl -f localhost || exit 1"), 0, 0, 0, 0);
        assertThat(shell.command()).containsExactly("/bin/sh", "-c", "curl -f localhost || exit 1");
        assertThat(shell.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(shell.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(shell.startPeriod()).isEqualTo(Duration.ZERO);
        assertThat(shell.effectiveRetries()).isEqualTo(3);
        Healthcheck exec = new Healthcheck(List.of("CMD", "cat", "/tmp/ok"), 500 * MS, 100 * MS, 2000 * MS, 1);
        assertThat(exec.command()).containsExactly("cat", "/tmp/ok");
        assertThat(exec.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(exec.effectiveRetries()).isEqualTo(1);
        assertThat(new Healthcheck(List.of("NONE"), 0, 0, 0, 0).disabled()).isTrue();
    }

    @Test
    void badValuesAreInvalidArguments() {
        assertThatThrownBy(() -> new Healthcheck(List.of("SHELL", "x"), 0, 0, 0, 0))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("NONE, CMD or CMD-SHELL");
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD"), 0, 0, 0, 0)).hasMessageContaining("needs a command");
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD", "true"), 1, 0, 0, 0)).hasMessageContaining("Healthcheck.Interval");
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD", "true"), 0, -1, 0, 0)).hasMessageContaining("Healthcheck.Timeout");
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD", "true"), 0, 0, 999, 0)).hasMessageContaining("Healthcheck.StartPeriod");
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD", "true"), 0, 0, 0, -1)).hasMessageContaining("Healthcheck.Retries");
    }

    @Test
    void theRequestOverridesTheImageFieldByFieldAndNoneDisablesIt() {
        var image = new ContainerConfig.Healthcheck(List.of("CMD", "img-check"), 10_000 * MS, 2_000 * MS, null, null, 5);
        assertThat(Healthcheck.effective(null, image)).contains(new Healthcheck(List.of("CMD", "img-check"), 10_000 * MS, 2_000 * MS, 0, 5));
        var interval = new Healthcheck(List.of(), 200 * MS, 0, 0, 0);
        assertThat(Healthcheck.effective(interval, image)).contains(new Healthcheck(List.of("CMD", "img-check"), 200 * MS, 2_000 * MS, 0, 5));
        var own = new Healthcheck(List.of("CMD-SHELL", "mine"), 0, 0, 0, 1);
        assertThat(Healthcheck.effective(own, image)).contains(new Healthcheck(List.of("CMD-SHELL", "mine"), 10_000 * MS, 2_000 * MS, 0, 1));
        assertThat(Healthcheck.effective(new Healthcheck(List.of("NONE"), 0, 0, 0, 0), image)).isEmpty();
        assertThat(Healthcheck.effective(null, null)).isEmpty();
        assertThat(Healthcheck.effective(interval, null)).as("no test anywhere").isEmpty();
    }
}
