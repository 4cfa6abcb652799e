package dev.gantry.oci.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** The state of a container as the runtime's {@code state} operation reports it (runtime.md). */
public record State(String ociVersion, String id, Status status, Integer pid, String bundle,
        Map<String, String> annotations) {

    /**
     * Runtime states. The four of runtime.md plus {@code paused}, which runc reports for a
     * frozen container (runtime.md allows runtimes to add states).
     */
    public enum Status {
        CREATING("creating"), CREATED("created"), RUNNING("running"), STOPPED("stopped"), PAUSED("paused");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Status of(String wire) {
            for (Status status : values()) {
                if (status.wire.equals(wire)) {
                    return status;
                }
            }
            throw new IllegalArgumentException("unknown container status \"" + wire + "\"");
        }
    }
}
