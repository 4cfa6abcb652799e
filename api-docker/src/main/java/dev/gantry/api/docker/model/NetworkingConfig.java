package dev.gantry.api.docker.model;

import java.util.Map;

/** The networks a new container joins: network name → endpoint settings. */
public record NetworkingConfig(Map<String, EndpointSettings> endpointsConfig) {}
