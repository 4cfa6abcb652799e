package dev.gantry.api.docker.model;

/** An answer that is only an id (exec create, commit). */
public record IdResponse(String id) {}
