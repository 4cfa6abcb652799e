package dev.gantry.engine;

/**
 * A request to create a container.
 *
 * @param name       the container's name (letters, digits, {@code _ . -}, starting with a letter or
 *                   digit; a leading slash is ignored); null or empty: a generated adjective_surname name
 * @param config     the portable configuration; {@code config.image()} names the image
 * @param hostConfig the host configuration; null: defaults
 * @param healthcheck the health check ({@code Config.Healthcheck}); null: the image's, if any
 */
public record CreateRequest(String name, Config config, HostConfig hostConfig, Healthcheck healthcheck) {
    public CreateRequest {
        hostConfig = hostConfig == null ? HostConfig.defaults() : hostConfig;
    }

    /** A request without a health check of its own. */
    public CreateRequest(String name, Config config, HostConfig hostConfig) {
        this(name, config, hostConfig, null);
    }
}
