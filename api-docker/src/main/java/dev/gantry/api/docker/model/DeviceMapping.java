package dev.gantry.api.docker.model;

/** A host device made available in the container, with cgroup permissions such as "rwm". */
public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {}
