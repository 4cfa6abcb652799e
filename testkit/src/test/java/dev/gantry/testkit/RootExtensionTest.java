package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RootExtensionTest {
    @Test
    void enablesForRoot() {
        var result = new RootExtension(() -> 0, Map.of("CI", "true")).evaluateExecutionCondition(null);
        assertThat(result.isDisabled()).isFalse();
    }

    @Test
    void skipsForOtherUsersOutsideCi() {
        var result = new RootExtension(() -> 1000, Map.of()).evaluateExecutionCondition(null);
        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason).contains("1000"));
    }

    @Test
    void failsForOtherUsersUnderCi() {
        assertThatThrownBy(() -> new RootExtension(() -> 1000, Map.of("CI", "true")).evaluateExecutionCondition(null))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CI runs as root; this test must not be skipped");
    }

    @Test
    void readsEffectiveUidFromStatus() {
        String status = "Name:\tjava\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
        assertThat(ProcSelf.effectiveUid(status)).isZero();
        assertThat(ProcSelf.effectiveUid("Uid:\t0\t1000\t1000\t1000\n")).isEqualTo(1000);
    }
}
