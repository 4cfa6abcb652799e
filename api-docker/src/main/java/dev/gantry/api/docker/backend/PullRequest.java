package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.model.AuthConfig;

/**
 * {@code POST /images/create?fromImage=...}: the image reference ({@code fromImage}, with
 * {@code tag} appended when given — a tag or a digest), an optional platform
 * ("linux/amd64"), and the credentials from {@code X-Registry-Auth} (null: anonymous).
 */
public record PullRequest(String image, String tag, String platform, AuthConfig auth) {}
