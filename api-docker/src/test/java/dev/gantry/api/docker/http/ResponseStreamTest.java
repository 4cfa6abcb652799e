package dev.gantry.api.docker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseStreamTest {
    @Test
    void headersWaitForTheFirstFlushAndJsonLinesEndInNewlines() throws IOException {
        var sink = new ByteArrayOutputStream();
        ResponseStream out = ResponseStreams.inMemory(sink);
        out.write("buffered".getBytes(StandardCharsets.US_ASCII));
        assertThat(out.committed()).isFalse();
        assertThat(sink.size()).isZero();
        out.flush();
        assertThat(out.committed()).isTrue();
        out.writeJson(Map.of("status", "ok"));
        out.close();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("buffered{\"status\":\"ok\"}\n");
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void writesLargerThanTheBufferGoOutWhole() throws IOException {
        var sink = new ByteArrayOutputStream();
        ResponseStream out = ResponseStreams.inMemory(sink);
        byte[] big = new byte[ResponseStream.BUFFER * 3 + 5];
        out.write('a');
        out.write(big);
        out.close();
        assertThat(sink.size()).isEqualTo(big.length + 1);
    }
}
