package dev.gantry.engine.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;

/** The engine's on-disk JSON: records as objects, unknown fields ignored (older or newer engines wrote them). */
public final class EngineJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EngineJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "encoding " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type, String source) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, source + ": unreadable: " + e.getMessage(), e);
        }
    }
}
