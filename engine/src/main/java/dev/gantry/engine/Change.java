package dev.gantry.engine;

/**
 * A change of a container's file system against its image ({@code docker diff}): {@code path}
 * in the container was added (A), changed (C) or deleted (D). The init layer's files
 * (/etc/hosts, /etc/hostname, /etc/resolv.conf and the mount points the runtime needs) never
 * appear.
 */
public record Change(Kind kind, String path) {
    public enum Kind { C, A, D }
}
