package dev.gantry.oci.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigInteger;

/** Jackson codec for {@link Uint64} fields: the full unsigned 64-bit range in a Java {@code long}. */
final class Uint64Codec {
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Uint64Codec() {
    }

    /** Reads a JSON integer in [0, 2^64-1] into its unsigned bit pattern. */
    static final class Reader extends StdDeserializer<Long> {
        Reader() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw JsonMappingException.from(p, "must be an unsigned 64-bit integer, got " + p.getText());
            }
            BigInteger value = p.getBigIntegerValue();
            if (value.signum() < 0 || value.compareTo(MAX) > 0) {
                throw JsonMappingException.from(p, "must be an unsigned 64-bit integer, got " + value);
            }
            return value.longValue();
        }
    }

    /** Writes the bit pattern back as an unsigned decimal. */
    static final class Writer extends StdSerializer<Long> {
        Writer() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            // writeNumber(String) would reach a TokenBuffer (valueToTree, convertValue) as a
            // float; a BigInteger stays an integer there and in text alike.
            if (value >= 0) {
                gen.writeNumber(value.longValue());
            } else {
                gen.writeNumber(new java.math.BigInteger(Long.toUnsignedString(value)));
            }
        }
    }
}
