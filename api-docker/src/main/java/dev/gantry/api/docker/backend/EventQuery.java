package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.json.Filters;
import java.time.Instant;

/**
 * {@code GET /events}: replay events since {@code since} (null: none), stop at {@code until}
 * (null: follow until the client goes away). Filters: config, container, daemon, event,
 * image, label, network, node, plugin, scope, secret, service, type, volume.
 */
public record EventQuery(Instant since, Instant until, Filters filters) {}
