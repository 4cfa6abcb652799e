package dev.gantry.api.docker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StdStreamWriterTest {
    @Test
    void frameHasTypeThreeZeroBytesAndBigEndianLength() throws IOException {
        var out = new ByteArrayOutputStream();
        new StdStreamWriter(out).write(StdStream.STDERR, "oops\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out.toByteArray()).containsExactly(2, 0, 0, 0, 0, 0, 0, 5, 'o', 'o', 'p', 's', '\n');
    }

    @Test
    void streamViewsTagTheirWritesAndOffsetsAreHonoured() throws IOException {
        var out = new ByteArrayOutputStream();
        var writer = new StdStreamWriter(out);
        writer.stream(StdStream.STDOUT).write("xxhixx".getBytes(StandardCharsets.US_ASCII), 2, 2);
        writer.stream(StdStream.STDIN).write('!');
        writer.stream(StdStream.STDOUT).write(new byte[0], 0, 0);
        assertThat(out.toByteArray()).containsExactly(1, 0, 0, 0, 0, 0, 0, 2, 'h', 'i', 0, 0, 0, 0, 0, 0, 0, 1, '!');
    }

    @Test
    void largePayloadIsCutIntoFramesThatReassemble() throws IOException {
        byte[] payload = new byte[StdStreamWriter.MAX_FRAME_PAYLOAD * 2 + 300];
        Arrays.fill(payload, (byte) 7);
        var out = new ByteArrayOutputStream();
        new StdStreamWriter(out).write(StdStream.STDOUT, payload);
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
        int frames = 0;
        long total = 0;
        while (b.hasRemaining()) {
            assertThat(b.get()).isEqualTo((byte) 1);
            assertThat(new byte[] {b.get(), b.get(), b.get()}).containsOnly(0);
            int len = b.getInt();
            assertThat(len).isLessThanOrEqualTo(StdStreamWriter.MAX_FRAME_PAYLOAD);
            b.position(b.position() + len);
            total += len;
            frames++;
        }
        assertThat(frames).isEqualTo(3);
        assertThat(total).isEqualTo(payload.length);
    }

    @Test
    void rawSinkDropsTheStreamType() throws IOException {
        var out = new ByteArrayOutputStream();
        StdSink.raw(out).write(StdStream.STDERR, "tty".getBytes(StandardCharsets.US_ASCII));
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("tty");
    }
}
