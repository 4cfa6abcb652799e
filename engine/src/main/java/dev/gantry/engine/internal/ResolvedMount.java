package dev.gantry.engine.internal;

import java.util.List;

/** A container mount ready for the OCI spec: destination, type (bind, tmpfs), host source, options. */
public record ResolvedMount(String destination, String type, String source, List<String> options) {
}
