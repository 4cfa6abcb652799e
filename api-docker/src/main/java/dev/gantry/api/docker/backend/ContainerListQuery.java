package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.json.Filters;

/**
 * {@code GET /containers/json}: {@code all} includes stopped containers; {@code limit} keeps
 * the newest N (null: no limit); {@code size} asks for SizeRw/SizeRootFs. Filters: ancestor,
 * before, expose, exited, health, id, isolation, is-task, label, name, network, publish,
 * since, status, volume.
 */
public record ContainerListQuery(boolean all, Integer limit, boolean size, Filters filters) {}
