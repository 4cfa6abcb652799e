package dev.gantry.api.docker.model;

/** The answer to {@code POST /auth}: a status line and, for token registries, an identity token. */
public record AuthResponse(String status, String identityToken) {}
