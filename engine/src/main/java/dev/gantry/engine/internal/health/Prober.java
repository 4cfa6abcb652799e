package dev.gantry.engine.internal.health;

import dev.gantry.engine.Health;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs one health probe in a running container and reports how it went; never throws. Empty
 * when the container cannot be probed now (paused, or stopping): such a round does not count.
 */
@FunctionalInterface
public interface Prober {
    Optional<Health.Probe> probe(String containerId, List<String> command, Duration timeout);
}
