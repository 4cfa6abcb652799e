package dev.gantry.oci.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON documents as plain Java trees, read and written with Jackson's streaming core only.
 *
 * <p>A tree is {@code null}, {@link Boolean}, {@link String}, a number ({@link Long} when it
 * fits, else {@link BigInteger}, or {@link Double} for fractions), an unmodifiable
 * {@code List<Object>} or an unmodifiable, insertion-ordered {@code Map<String, Object>}.
 * {@link RecordBinder} turns a tree into records and {@link #write} turns records back into
 * JSON. This exists for start-up: a short-lived command such as {@code gantry-runc run} spent
 * more than half of its time building Jackson databind's introspection of the spec records,
 * and the streaming core is already in the AOT cache's loaded classes.
 */
public final class JsonTree {
    // Duplicate keys are accepted and the last one wins, as with Jackson databind before and
    // with runc's Go decoder: a config runc takes must not be refused here.
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {
    }

    /**
     * Parses one JSON document. A syntax error or trailing content is
     * INVALID_ARGUMENT: {@code SOURCE: malformed JSON at line L, column C: what}.
     */
    public static Object parse(byte[] json, String source) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new GantryException(ErrorKind.INVALID_ARGUMENT, source + ": malformed JSON: empty document");
            }
            Object tree = value(p, first);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new GantryException(ErrorKind.INVALID_ARGUMENT, source + ": malformed JSON at line " + at.getLineNr()
                        + ", column " + at.getColumnNr() + ": trailing content after the document");
            }
            return tree;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new GantryException(ErrorKind.INVALID_ARGUMENT,
                    source + ": malformed JSON" + where + ": " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, source + ": " + e.getMessage(), e);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    map.put(name, value(p, p.nextToken()));
                }
                yield Collections.unmodifiableMap(map);
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    list.add(value(p, e));
                }
                yield Collections.unmodifiableList(list);
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT, LONG -> p.getLongValue();
                default -> p.getBigIntegerValue();
            };
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        };
    }

    /** Compact JSON of a tree or of records ({@link RecordBinder#write} rules). */
    public static byte[] write(Object value) {
        return write(value, false);
    }

    /** JSON of a tree or of records, indented by two spaces when {@code pretty}. */
    public static byte[] write(Object value, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            RecordBinder.write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
