package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.model.ContainerConfig;
import java.util.List;

/**
 * {@code POST /commit}: the container whose writable layer becomes a new image layer,
 * the repository and tag to give the image (null: untagged), the commit message and author,
 * whether to pause the container meanwhile, Dockerfile-style {@code changes} to apply
 * (CMD, ENV, ...) and a config whose set fields override the container's.
 */
public record CommitRequest(String container, String repo, String tag, String comment, String author, boolean pause,
                            List<String> changes, ContainerConfig config) {}
