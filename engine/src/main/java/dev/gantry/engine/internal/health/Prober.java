package dev.gantry.engine.internal.health;

import dev.gantry.engine.Health;
import java.time.Duration;
import java.util.List;

/** Runs one health probe in a running container and reports how it went; never throws. */
@FunctionalInterface
public interface Prober {
    Health.Probe probe(String containerId, List<String> command, Duration timeout);
}
