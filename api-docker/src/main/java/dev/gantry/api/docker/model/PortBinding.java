package dev.gantry.api.docker.model;

/** A host address and port a container port is published on ({@code HostIp}, {@code HostPort}). */
public record PortBinding(String hostIp, String hostPort) {}
