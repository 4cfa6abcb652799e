package dev.gantry.testkit;

/** One {@code uidMappings}/{@code gidMappings} entry. */
public record IdMapping(long containerID, long hostID, long size) {
}
