package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydProcess.DOCKER;
import static dev.gantry.daemon.GantrydProcess.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Health checks through the docker CLI: --health-* flags, State.Health in inspect, ps and its filter, events. */
@SharedGantryd
class GantrydHealthTest {
    private final GantrydProcess gantryd;

    GantrydHealthTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    private String inspect(String name, String format) throws Exception {
        return gantryd.ok(DOCKER, "inspect", "--format", format, name).trim();
    }

    private String awaitInspect(String name, String format, Predicate<String> done) throws Exception {
        String v = inspect(name, format);
        for (int i = 0; i < 200 && !done.test(v); i++) {
            Thread.sleep(50);
            v = inspect(name, format);
        }
        return v;
    }

    @Test
    void aFailingCheckMakesItUnhealthyAndAPassingOneHealthy() throws Exception {
        String since = Long.toString(System.currentTimeMillis() / 1000 - 1);
        gantryd.ok(DOCKER, "run", "-d", "--name", "hc", "--health-cmd", "cat /tmp/ok", "--health-interval", "100ms",
                "--health-retries", "2", IMAGE, "sleep", "300");
        try {
            assertThat(inspect("hc", "{{json .Config.Healthcheck}}"))
                    .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"cat /tmp/ok\"],\"Interval\":100000000,\"Retries\":2}");
            assertThat(awaitInspect("hc", "{{.State.Health.Status}}", "unhealthy"::equals)).isEqualTo("unhealthy");
            assertThat(Integer.parseInt(inspect("hc", "{{.State.Health.FailingStreak}}"))).isGreaterThanOrEqualTo(2);
            assertThat(inspect("hc", "{{(index .State.Health.Log 0).ExitCode}} {{len .State.Health.Log}}")).matches("1 [2-5]");
            assertThat(inspect("hc", "{{(index .State.Health.Log 0).Output}}")).contains("/tmp/ok");
            assertThat(gantryd.ok(DOCKER, "ps", "--format", "{{.Names}} {{.Status}}")).contains("(unhealthy)");

            gantryd.ok(DOCKER, "exec", "hc", "sh", "-c", "echo fine > /tmp/ok");
            assertThat(awaitInspect("hc", "{{.State.Health.Status}}", "healthy"::equals)).isEqualTo("healthy");
            assertThat(inspect("hc", "{{.State.Health.FailingStreak}}")).isEqualTo("0");
            // A check that has run for a while keeps only the last five results.
            assertThat(awaitInspect("hc", "{{len .State.Health.Log}}", "5"::equals)).isEqualTo("5");
            assertThat(gantryd.ok(DOCKER, "ps", "--format", "{{.Names}} {{.Status}}")).containsPattern("hc Up .* \\(healthy\\)");
            assertThat(gantryd.ok(DOCKER, "ps", "--filter", "health=healthy", "--format", "{{.Names}}")).isEqualTo("hc\n");
            assertThat(gantryd.ok(DOCKER, "ps", "--filter", "health=unhealthy", "--format", "{{.Names}}")).isBlank();
            String until = Long.toString(System.currentTimeMillis() / 1000 + 1);
            assertThat(gantryd.ok(DOCKER, "events", "--since", since, "--until", until, "--filter", "event=health_status", "--filter", "container=hc",
                    "--format", "{{.Action}}")).isEqualTo("health_status: unhealthy\nhealth_status: healthy\n");
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "hc");
        }
    }

    @Test
    void aProbeThatOverrunsItsTimeoutIsKilledAndFails() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "slow", "--health-cmd", "sleep 60", "--health-timeout", "200ms",
                "--health-interval", "100ms", "--health-retries", "1", IMAGE, "sleep", "300");
        try {
            assertThat(awaitInspect("slow", "{{.State.Health.Status}}", "unhealthy"::equals)).isEqualTo("unhealthy");
            assertThat(inspect("slow", "{{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}"))
                    .isEqualTo("-1 Health check exceeded timeout (200ms)");
            // The overrunning probes were killed: no "sleep 60" piles up in the container.
            Thread.sleep(500);
            assertThat(gantryd.ok(DOCKER, "top", "slow").lines().filter(l -> l.contains("sleep 60")).count()).isLessThanOrEqualTo(1);
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "slow");
        }
    }

    @Test
    void failuresInTheStartPeriodDoNotCount() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "warming", "--health-cmd", "false", "--health-interval", "100ms",
                "--health-retries", "1", "--health-start-period", "30s", IMAGE, "sleep", "300");
        try {
            awaitInspect("warming", "{{len .State.Health.Log}}", s -> Integer.parseInt(s) >= 3);
            assertThat(inspect("warming", "{{.State.Health.Status}} {{.State.Health.FailingStreak}}")).isEqualTo("starting 0");
            assertThat(gantryd.ok(DOCKER, "ps", "--format", "{{.Names}} {{.Status}}")).contains("(health: starting)");
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "warming");
        }
    }

    @Test
    void aPausedContainerIsNotProbed() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "frozen", "--health-cmd", "true", "--health-interval", "100ms",
                "--health-retries", "1", IMAGE, "sleep", "300");
        try {
            assertThat(awaitInspect("frozen", "{{.State.Health.Status}}", "healthy"::equals)).isEqualTo("healthy");
            gantryd.ok(DOCKER, "pause", "frozen");
            Thread.sleep(800);
            assertThat(inspect("frozen", "{{.State.Health.Status}} {{.State.Health.FailingStreak}}")).isEqualTo("healthy 0");
            gantryd.ok(DOCKER, "unpause", "frozen");
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "frozen");
        }
    }

    @Test
    void noHealthcheckAndBadValues() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "plain", "--no-healthcheck", IMAGE, "sleep", "300");
        try {
            assertThat(inspect("plain", "{{.State.Health}} {{.Config.Healthcheck}}")).isEqualTo("<nil> <nil>");
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "plain");
        }
        var bad = gantryd.docker(DOCKER, "run", "--rm", "--health-cmd", "true", "--health-interval", "1ns", IMAGE, "true");
        assertThat(bad.exitCode()).as(bad.describe()).isEqualTo(125);
        assertThat(bad.stderr()).contains("Healthcheck.Interval");
        assertThat(gantryd.ok(DOCKER, "ps", "-aq")).isBlank();
    }
}
