package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.model.ContainerConfig;
import dev.gantry.api.docker.model.ContainerState;
import dev.gantry.api.docker.model.HealthConfig;
import dev.gantry.engine.Health;
import dev.gantry.engine.Healthcheck;
import java.util.Optional;

/** Health checks between Docker's wire shapes and the engine's: create's Config.Healthcheck, inspect, ps. */
final class HealthViews {
    private HealthViews() {}

    /** {@code Config.Healthcheck} of a create request; null when it has none. Bad values are INVALID_ARGUMENT. */
    static Healthcheck toEngine(HealthConfig h) {
        if (h == null) {
            return null;
        }
        return new Healthcheck(h.test(), orZero(h.interval()), orZero(h.timeout()), orZero(h.startPeriod()),
                h.retries() == null ? 0 : h.retries());
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    static ContainerState withHealth(ContainerState s, Optional<Health> health) {
        if (health.isEmpty()) {
            return s;
        }
        Health h = health.get();
        var wire = new ContainerState.Health(h.status(), h.failingStreak(), h.log().stream()
                .map(p -> new ContainerState.HealthcheckResult(p.start(), p.end(), p.exitCode(), p.output())).toList());
        return new ContainerState(s.status(), s.running(), s.paused(), s.restarting(), s.oomKilled(), s.dead(), s.pid(),
                s.exitCode(), s.error(), s.startedAt(), s.finishedAt(), wire);
    }

    static ContainerConfig withHealthcheck(ContainerConfig c, Optional<Healthcheck> check) {
        if (check.isEmpty()) {
            return c;
        }
        Healthcheck h = check.get();
        HealthConfig wire = new HealthConfig(h.test(), h.intervalNanos(), h.timeoutNanos(), h.retries(), h.startPeriodNanos(), null);
        return new ContainerConfig(c.hostname(), c.domainname(), c.user(), c.attachStdin(), c.attachStdout(), c.attachStderr(),
                c.exposedPorts(), c.tty(), c.openStdin(), c.stdinOnce(), c.env(), c.cmd(), wire, c.argsEscaped(), c.image(),
                c.volumes(), c.workingDir(), c.entrypoint(), c.networkDisabled(), c.macAddress(), c.onBuild(), c.labels(),
                c.stopSignal(), c.stopTimeout(), c.shell());
    }

    /** What {@code docker ps} appends to "Up …": " (healthy)", " (unhealthy)", " (health: starting)". */
    static String statusSuffix(Optional<Health> health) {
        return health.map(h -> h.status().equals(Health.STARTING) ? " (health: starting)" : " (" + h.status() + ")").orElse("");
    }
}
