package dev.gantry.engine;

/**
 * A request to create a container.
 *
 * @param name       the container's name (letters, digits, {@code _ . -}, starting with a letter or
 *                   digit; a leading slash is ignored); null or empty: a generated adjective_surname name
 * @param config     the portable configuration; {@code config.image()} names the image
 * @param hostConfig the host configuration; null: defaults
 */
public record CreateRequest(String name, Config config, HostConfig hostConfig) {
    public CreateRequest {
        hostConfig = hostConfig == null ? HostConfig.defaults() : hostConfig;
    }
}
