package dev.gantry.engine;

import dev.gantry.engine.net.NetworkOptions;

/**
 * A request to create a container.
 *
 * @param name       the container's name (letters, digits, {@code _ . -}, starting with a letter or
 *                   digit; a leading slash is ignored); null or empty: a generated adjective_surname name
 * @param config     the portable configuration; {@code config.image()} names the image
 * @param hostConfig the host configuration; null: defaults
 * @param healthcheck the health check ({@code Config.Healthcheck}); null: the image's, if any
 * @param network    endpoints, published ports and name resolution; null: none of them
 */
public record CreateRequest(String name, Config config, HostConfig hostConfig, Healthcheck healthcheck, NetworkOptions network) {
    public CreateRequest {
        hostConfig = hostConfig == null ? HostConfig.defaults() : hostConfig;
        network = network == null ? NetworkOptions.NONE : network;
    }

    /** A request without a health check or network options of its own. */
    public CreateRequest(String name, Config config, HostConfig hostConfig) {
        this(name, config, hostConfig, null, null);
    }

    /** A request without network options of its own. */
    public CreateRequest(String name, Config config, HostConfig hostConfig, Healthcheck healthcheck) {
        this(name, config, hostConfig, healthcheck, null);
    }
}
