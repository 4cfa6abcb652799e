package dev.gantry.api.docker.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * The one JSON configuration of the Docker API. Record components are camelCase in Java and
 * PascalCase on the wire ({@code hostConfig} ↔ {@code HostConfig}); names the swagger spells
 * otherwise ({@code ID}, {@code NCPU}, lower-case stats fields) carry {@code @JsonProperty}.
 * Reading is lenient the way Docker's Go decoder is: unknown fields are ignored, explicit
 * nulls mean "unset" (docker-java sends every field), and a single string is accepted where
 * a list is expected (Docker's {@code StrSlice} for {@code Cmd}, {@code Entrypoint}).
 * Writing leaves out null fields.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private Json() {}

    /** Decodes a request body, turning every Jackson failure into an INVALID_ARGUMENT that says where. */
    public static <T> T read(InputStream in, Class<T> type) {
        try {
            return MAPPER.readValue(in, type);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes JSON text (a query parameter such as {@code filters}). */
    public static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new GantryException(dev.gantry.base.ErrorKind.INTERNAL, "cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Converts a part of an already parsed document (for the models Docker inlines, such as
     * the create body); a type error keeps its field path, prefixed with {@code field} when
     * the part is a named member, so the message names e.g. {@code HostConfig.Memory}.
     */
    public static <T> T convert(com.fasterxml.jackson.databind.JsonNode node, String field, Class<T> type) throws JsonMappingException {
        try {
            return MAPPER.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JsonMappingException m) {
                if (field != null) {
                    m.prependPath(node, field);
                }
                throw m;
            }
            throw e;
        }
    }

    static GantryException invalid(JsonProcessingException e) {
        var where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
        if (e instanceof JsonMappingException m && !(e instanceof JsonParseException) && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return GantryException.invalid("invalid JSON for field " + field + ": " + firstLine(e.getOriginalMessage()));
        }
        return GantryException.invalid("malformed JSON" + where + ": " + firstLine(e.getOriginalMessage()));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
