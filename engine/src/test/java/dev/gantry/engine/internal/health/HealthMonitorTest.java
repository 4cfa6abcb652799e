package dev.gantry.engine.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.Health;
import dev.gantry.engine.Healthcheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
    private static final String ID = "0123456789ab0123456789ab0123456789ab0123456789ab0123456789abcdef";
    private static final long MS = 1_000_000;

    private final List<String> events = new ArrayList<>();

    private static Health.Probe probe(int code) {
        return new Health.Probe("s", "e", code, "out " + code);
    }

    /** A monitor whose prober is never called: results are fed to record() directly. */
    private HealthMonitor monitor() {
        return new HealthMonitor((id, cmd, timeout) -> {
            throw new AssertionError("no probe expected");
        }, (id, status) -> events.add(status));
    }

    @Test
    void failuresReachingTheRetriesMakeItUnhealthyAndASuccessHealthyAgain() {
        Healthcheck check = new Healthcheck(List.of("CMD", "x"), 3_600_000 * MS, 0, 0, 2);
        HealthMonitor m = monitor();
        m.started(ID, check);
        assertThat(m.health(ID)).contains(new Health(Health.STARTING, 0, List.of()));
        m.record(ID, check, probe(1), 0);
        assertThat(m.health(ID).orElseThrow().status()).isEqualTo(Health.STARTING);
        assertThat(m.health(ID).orElseThrow().failingStreak()).isEqualTo(1);
        m.record(ID, check, probe(1), 0);
        assertThat(m.health(ID).orElseThrow().status()).isEqualTo(Health.UNHEALTHY);
        m.record(ID, check, probe(0), 0);
        Health h = m.health(ID).orElseThrow();
        assertThat(h.status()).isEqualTo(Health.HEALTHY);
        assertThat(h.failingStreak()).isZero();
        assertThat(h.log()).extracting(Health.Probe::exitCode).containsExactly(1, 1, 0);
        assertThat(events).containsExactly(Health.UNHEALTHY, Health.HEALTHY);
        m.forget(ID);
        assertThat(m.health(ID)).isEmpty();
    }

    @Test
    void failuresInTheStartPeriodDoNotCountUntilTheFirstSuccess() {
        Healthcheck check = new Healthcheck(List.of("CMD", "x"), 3_600_000 * MS, 0, 1000 * MS, 1);
        HealthMonitor m = monitor();
        m.started(ID, check);
        m.record(ID, check, probe(1), 500 * MS);
        assertThat(m.health(ID).orElseThrow()).extracting(Health::status, Health::failingStreak).containsExactly(Health.STARTING, 0);
        m.record(ID, check, probe(1), 1500 * MS);
        assertThat(m.health(ID).orElseThrow().status()).isEqualTo(Health.UNHEALTHY);
        m.started(ID, check);
        m.record(ID, check, probe(0), 100 * MS);
        m.record(ID, check, probe(1), 200 * MS);
        assertThat(m.health(ID).orElseThrow().status()).as("healthy once: failures count again").isEqualTo(Health.UNHEALTHY);
        m.stopAll();
    }

    @Test
    void theLogKeepsTheLastFiveProbes() {
        Healthcheck check = new Healthcheck(List.of("CMD", "x"), 3_600_000 * MS, 0, 0, 100);
        HealthMonitor m = monitor();
        m.started(ID, check);
        for (int i = 1; i <= 7; i++) {
            m.record(ID, check, probe(i), 0);
        }
        assertThat(m.health(ID).orElseThrow().log()).extracting(Health.Probe::exitCode).containsExactly(3, 4, 5, 6, 7);
        assertThat(m.health(ID).orElseThrow().failingStreak()).isEqualTo(7);
        m.stopAll();
    }

    @Test
    void probesRunEveryIntervalUntilTheContainerStopsAndTheLastHealthStays() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        List<List<String>> commands = new ArrayList<>();
        HealthMonitor m = new HealthMonitor((id, cmd, timeout) -> {
            synchronized (commands) {
                commands.add(cmd);
            }
            three.countDown();
            return Optional.of(probe(0));
        }, (id, status) -> events.add(status));
        m.started(ID, new Healthcheck(List.of("CMD-SHELL", "check"), 20 * MS, 0, 0, 0));
        assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
        m.stopped(ID);
        int seen;
        synchronized (commands) {
            seen = commands.size();
            assertThat(commands.getFirst()).containsExactly("/bin/sh", "-c", "check");
        }
        Thread.sleep(Duration.ofMillis(100));
        synchronized (commands) {
            assertThat(commands.size()).as("no probe after the stop (one may have been under way)").isLessThanOrEqualTo(seen + 1);
        }
        assertThat(m.health(ID).orElseThrow().status()).isEqualTo(Health.HEALTHY);
    }
}
