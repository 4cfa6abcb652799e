package dev.gantry.api.docker.model;

import java.util.Map;

/** The log driver of a container and its options (e.g. json-file with max-size, max-file). */
public record LogConfig(String type, Map<String, String> config) {}
