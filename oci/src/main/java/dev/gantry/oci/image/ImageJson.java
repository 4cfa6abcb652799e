package dev.gantry.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;

/**
 * The JSON mapper for image-spec documents. Unknown fields are ignored when reading (external
 * formats grow); documents whose digest matters are never re-serialized, their original bytes
 * are kept instead.
 */
public final class ImageJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ImageJson() {
    }

    /** The shared mapper; configured once, safe to use from many threads. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads {@code bytes} as {@code type}; {@code what} names the document in the error. */
    public static <T> T read(byte[] bytes, Class<T> type, String what) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw GantryException.invalid(what + ": malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw GantryException.invalid(what + ": unreadable: " + e.getMessage());
        }
    }

    /** Serializes {@code value} compactly. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "serializing " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
