package dev.gantry.testkit;

/** One {@code linux.namespaces} entry; {@code path} joins an existing namespace, null creates one. */
public record Namespace(String type, String path) {
}
