package dev.gantry.api.docker.model;

/** The answer to {@code POST /networks/create}. */
public record NetworkCreateResponse(String id, String warning) {}
