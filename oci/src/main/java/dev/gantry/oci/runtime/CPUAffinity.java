package dev.gantry.oci.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * CPU lists ("0-3,7") for {@code exec}: {@code initial} while the runtime sets the process up,
 * {@code final} (JSON name; a Java keyword) once it runs.
 */
public record CPUAffinity(String initial, @JsonProperty("final") String finalCpus) {
}
