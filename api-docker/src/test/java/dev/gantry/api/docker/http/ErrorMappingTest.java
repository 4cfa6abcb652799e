package dev.gantry.api.docker.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMappingTest {
    @ParameterizedTest
    @CsvSource({
        "NOT_FOUND, 404",
        "ALREADY_EXISTS, 409",
        "CONFLICT, 409",
        "INVALID_ARGUMENT, 400",
        "PERMISSION_DENIED, 403",
        "UNAVAILABLE, 503",
        "TIMEOUT, 500",
        "INTERNAL, 500"
    })
    void eachKindHasItsStatus(ErrorKind kind, int status) {
        assertThat(ErrorMapping.status(new GantryException(kind, "x"))).isEqualTo(status);
    }

    @Test
    void oversizedBodyIs413AndOtherExceptionsAre500() {
        assertThat(ErrorMapping.status(new BodyTooLargeException(10, 5))).isEqualTo(413);
        assertThat(ErrorMapping.status(new IllegalStateException("bug"))).isEqualTo(500);
    }

    @Test
    void bodyIsDockersMessageObject() {
        Reply.Full r = ErrorMapping.reply(GantryException.notFound("No such container: \"x\""));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"No such container: \\\"x\\\"\"}");
    }
}
