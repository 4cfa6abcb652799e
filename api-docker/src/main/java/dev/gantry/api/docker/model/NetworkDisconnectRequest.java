package dev.gantry.api.docker.model;

/** The body of {@code POST /networks/{id}/disconnect}. */
public record NetworkDisconnectRequest(String container, Boolean force) {}
