package dev.gantry.api.docker.backend;

import java.util.List;

/**
 * {@code POST /images/create?fromSrc=-}: a root filesystem tarball in the request body becomes
 * a one-layer image named {@code repo}:{@code tag} (null: untagged), with a commit message,
 * Dockerfile-style {@code changes} and an optional platform.
 */
public record ImportRequest(String repo, String tag, String message, List<String> changes, String platform) {}
