package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One line of a pull, push, import or load progress stream (Docker's {@code JSONMessage}).
 * A failure after the stream began is reported as a message with {@code error} and
 * {@code errorDetail}, which the docker CLI prints and turns into a non-zero exit.
 */
public record ProgressMessage(
        @JsonProperty("id") String id,
        @JsonProperty("status") String status,
        @JsonProperty("progress") String progress,
        @JsonProperty("progressDetail") Detail progressDetail,
        @JsonProperty("stream") String stream,
        @JsonProperty("aux") Map<String, Object> aux,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("error") String error) {

    public record Detail(@JsonProperty("current") Long current, @JsonProperty("total") Long total) {}

    public record ErrorDetail(@JsonProperty("message") String message) {}

    public static ProgressMessage status(String id, String status) {
        return new ProgressMessage(id, status, null, null, null, null, null, null);
    }

    public static ProgressMessage stream(String text) {
        return new ProgressMessage(null, null, null, null, text, null, null, null);
    }

    public static ProgressMessage failure(String message) {
        return new ProgressMessage(null, null, null, null, null, null, new ErrorDetail(message), message);
    }
}
