package dev.gantry.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.GantryException;

/** The one JSON mapper of the module; CNI documents stay {@link ObjectNode}s so unknown fields pass through unchanged. */
final class CniJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CniJson() {
    }

    /** Parses {@code json} as an object; {@code what} names the document in the error. */
    static ObjectNode object(byte[] json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw GantryException.invalid(what + ": expected a JSON object");
        } catch (JsonProcessingException e) {
            throw GantryException.invalid(what + ": invalid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw GantryException.invalid(what + ": unreadable JSON: " + e.getMessage());
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
