package dev.gantry.api.docker.model;

/** The body of {@code POST /networks/{id}/connect}. */
public record NetworkConnectRequest(String container, EndpointSettings endpointConfig) {}
