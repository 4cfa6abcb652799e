package dev.gantry.daemon.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.api.docker.json.Json;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Moves values between the image module's records (whose {@code @JsonProperty} names are
 * already Docker's wire names) and api-docker's models (camelCase read through
 * {@link Json#MAPPER}'s PascalCase strategy), through a JSON tree, so that the two never have
 * to be kept in sync field by field.
 */
final class Wire {
    private static final ObjectMapper PLAIN = JsonMapper.builder().build();
    /** Docker's "never" time. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    /** RFC 3339 with nanoseconds, fixed width, as Docker prints log timestamps. */
    private static final DateTimeFormatter NANOS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
            .withZone(ZoneOffset.UTC);

    private Wire() {}

    /** Converts a record with wire-named {@code @JsonProperty}s to the api-docker model {@code type}. */
    static <T> T convert(Object wireNamed, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(PLAIN.valueToTree(wireNamed), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new GantryException(ErrorKind.INTERNAL, "cannot convert " + wireNamed.getClass().getSimpleName()
                    + " to " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Converts an api-docker model to a record with wire-named properties. */
    static <T> T toWireNamed(Object model, Class<T> type) {
        try {
            return PLAIN.treeToValue(Json.MAPPER.valueToTree(model), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new GantryException(ErrorKind.INTERNAL, "cannot convert " + model.getClass().getSimpleName()
                    + " to " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static String time(String rfc3339) {
        return rfc3339 == null || rfc3339.isEmpty() ? ZERO_TIME : rfc3339;
    }

    static String nanos(Instant t) {
        return NANOS.format(t);
    }

    static long epochSeconds(String rfc3339) {
        return rfc3339 == null || rfc3339.isEmpty() ? 0 : Instant.parse(rfc3339).getEpochSecond();
    }
}
