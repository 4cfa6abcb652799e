package dev.gantry.api.docker.model;

import java.util.Map;

/** The body of {@code POST /volumes/create}; a null or empty name asks for a generated one. */
public record VolumeCreateRequest(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {}
