package dev.gantry.oci.runtime;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code Long} that the spec types as {@code uint64}. The value holds the unsigned
 * bit pattern: JSON {@code 18446744073709551615} reads as {@code -1L} and is written back as
 * {@code 18446744073709551615}. Compare such values with {@link Long#compareUnsigned}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@JacksonAnnotationsInside
@JsonSerialize(using = Uint64Codec.Writer.class)
@JsonDeserialize(using = Uint64Codec.Reader.class)
public @interface Uint64 {
}
