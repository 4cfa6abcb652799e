package dev.gantry.engine.internal.health;

import dev.gantry.engine.Health;
import dev.gantry.engine.Healthcheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Runs the health checks of running containers, one virtual thread each, and keeps their
 * {@link Health}, as dockerd does: {@code starting} at each start; a probe every interval (the
 * first one interval after the start); a success makes the container {@code healthy} and
 * resets the failing streak; a failure counts, except while the container is still
 * {@code starting} within its start period, and {@code retries} failures in a row make it
 * {@code unhealthy}. Each change of status is reported ({@code health_status} events). After
 * the container stops its last health stays readable until it starts again or is removed.
 */
public final class HealthMonitor {
    private static final int LOG_SIZE = 5;

    private final Prober prober;
    private final BiConsumer<String, String> statusChanged;
    private final Map<String, Health> health = new ConcurrentHashMap<>();
    private final Map<String, Thread> checkers = new ConcurrentHashMap<>();

    /** @param statusChanged gets the container id and its new status */
    public HealthMonitor(Prober prober, BiConsumer<String, String> statusChanged) {
        this.prober = prober;
        this.statusChanged = statusChanged;
    }

    /** The container started: its health is {@code starting} and probes begin. */
    public void started(String id, Healthcheck check) {
        stopped(id);
        health.put(id, new Health(Health.STARTING, 0, List.of()));
        long startedNanos = System.nanoTime();
        Thread t = Thread.ofVirtual().name("gantry-health-" + id.substring(0, 12)).unstarted(() -> run(id, check, startedNanos));
        checkers.put(id, t);
        t.start();
    }

    /** The container stopped: probes end; its last health stays. */
    public void stopped(String id) {
        Thread t = checkers.remove(id);
        if (t != null) {
            t.interrupt();
        }
    }

    /** The engine closes: every probe loop ends. */
    public void stopAll() {
        checkers.keySet().forEach(this::stopped);
    }

    /** The container is removed. */
    public void forget(String id) {
        stopped(id);
        health.remove(id);
    }

    public Optional<Health> health(String id) {
        return Optional.ofNullable(health.get(id));
    }

    private void run(String id, Healthcheck check, long startedNanos) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(check.interval());
                Optional<Health.Probe> p = prober.probe(id, check.command(), check.timeout());
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                p.ifPresent(probe -> record(id, check, probe, System.nanoTime() - startedNanos));
            }
        } catch (InterruptedException e) {
            // The container stopped.
        }
    }

    /** Applies one probe's result; reports a change of status. */
    void record(String id, Healthcheck check, Health.Probe p, long sinceStartNanos) {
        Health old = health.get(id);
        if (old == null) {
            return;
        }
        String status = old.status();
        int streak = old.failingStreak();
        if (p.exitCode() == 0) {
            status = Health.HEALTHY;
            streak = 0;
        } else if (!(status.equals(Health.STARTING) && sinceStartNanos < check.startPeriodNanos())) {
            streak++;
            if (streak >= check.effectiveRetries()) {
                status = Health.UNHEALTHY;
            }
        }
        List<Health.Probe> log = new ArrayList<>(old.log());
        log.add(p);
        while (log.size() > LOG_SIZE) {
            log.removeFirst();
        }
        health.put(id, new Health(status, streak, log));
        if (!status.equals(old.status())) {
            statusChanged.accept(id, status);
        }
    }
}
