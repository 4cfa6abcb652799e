package dev.gantry.oci.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;

/** ioprio_set(2) settings: {@code class} IOPRIO_CLASS_RT/BE/IDLE and a priority 0..7. */
public record LinuxIOPriority(@JsonProperty("class") String ioClass, Integer priority) {
}
