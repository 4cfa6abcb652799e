package dev.gantry.testkit;

import java.util.Map;

/** The runtime spec's state of a container, as {@code state} and {@code list --format json} print it. */
public record ContainerState(String ociVersion, String id, String status, long pid, String bundle,
                             Map<String, String> annotations) {
}
