package dev.gantry.api.docker.model;

import java.util.List;

/** The answer to {@code POST /networks/prune}: the names of the removed networks. */
public record NetworkPruneResponse(List<String> networksDeleted) {}
