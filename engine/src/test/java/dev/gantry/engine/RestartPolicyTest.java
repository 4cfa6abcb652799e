package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void onEngineStartAlwaysRestartsEvenAfterTheUsersStop() {
        assertThat(RestartPolicy.parse("always").restartsOnEngineStart(137, 0, true)).isTrue();
        assertThat(RestartPolicy.parse("always").shouldRestart(137, 0, true)).isFalse();
    }

    @Test
    void onEngineStartUnlessStoppedKeepsTheUsersStop() {
        assertThat(RestartPolicy.parse("unless-stopped").restartsOnEngineStart(137, 0, true)).isFalse();
        assertThat(RestartPolicy.parse("unless-stopped").restartsOnEngineStart(0, 5, false)).isTrue();
    }

    @Test
    void onEngineStartOnFailureNeedsAFailureAndARetryLeft() {
        RestartPolicy three = RestartPolicy.parse("on-failure:3");
        assertThat(three.restartsOnEngineStart(255, 2, false)).isTrue();
        assertThat(three.restartsOnEngineStart(255, 3, false)).as("retries spent").isFalse();
        assertThat(three.restartsOnEngineStart(0, 0, false)).as("a clean exit").isFalse();
        assertThat(three.restartsOnEngineStart(137, 0, true)).as("stopped by the user").isFalse();
        assertThat(RestartPolicy.parse("on-failure").restartsOnEngineStart(1, 100, false)).as("no limit").isTrue();
    }

    @Test
    void onEngineStartNoNeverRestarts() {
        assertThat(RestartPolicy.NO.restartsOnEngineStart(255, 0, false)).isFalse();
    }
}
