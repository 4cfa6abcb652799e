package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamsTest {
    private static byte[] frame(int stream, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[8 + payload.length];
        f[0] = (byte) stream;
        f[4] = (byte) (payload.length >>> 24);
        f[5] = (byte) (payload.length >>> 16);
        f[6] = (byte) (payload.length >>> 8);
        f[7] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 8, payload.length);
        return f;
    }

    @Test
    void multiplexedFramesGoToTheirStreams() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(frame(1, "out1\n"));
        all.write(frame(2, "err\n"));
        all.write(frame(1, "x".repeat(70000)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StdStreams.copy(new ByteArrayInputStream(all.toByteArray()), false, out, err);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out1\n" + "x".repeat(70000));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
    }

    @Test
    void aTtyStreamIsCopiedRawAndATruncatedFrameFails() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdStreams.copy(new ByteArrayInputStream("raw\r\n".getBytes(StandardCharsets.UTF_8)), true, out, new ByteArrayOutputStream());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("raw\r\n");
        byte[] cut = java.util.Arrays.copyOf(frame(1, "hello"), 10);
        assertThatThrownBy(() -> StdStreams.copy(new ByteArrayInputStream(cut), false, new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void chunkedBodiesAreReassembled() throws Exception {
        byte[] wire = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\nNEXT".getBytes(StandardCharsets.US_ASCII);
        ByteArrayInputStream in = new ByteArrayInputStream(wire);
        assertThat(new String(new ChunkedInputStream(in).readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).as("the next response is left on the connection").isEqualTo("NEXT");
    }

    @Test
    void detachKeysAreHeldBackUntilTheSequenceBreaksOrCompletes() {
        DetachKeys keys = DetachKeys.parse(null);
        DetachKeys.Fed a = keys.feed(new byte[] {'a', 0x10}, 2);
        assertThat(new String(a.forward(), 0, a.length(), StandardCharsets.US_ASCII)).isEqualTo("a");
        DetachKeys.Fed b = keys.feed(new byte[] {'b'}, 1);
        assertThat(java.util.Arrays.copyOf(b.forward(), b.length())).containsExactly(0x10, 'b');
        assertThat(b.detach()).isFalse();
        DetachKeys.Fed c = keys.feed(new byte[] {'x', 0x10, 0x11, 'y'}, 4);
        assertThat(c.detach()).isTrue();
        assertThat(java.util.Arrays.copyOf(c.forward(), c.length())).containsExactly('x');
        DetachKeys custom = DetachKeys.parse("ctrl-a,q");
        assertThat(custom.feed(new byte[] {1, 'q'}, 2).detach()).isTrue();
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-1")).isInstanceOf(UsageException.class);
    }

    @Test
    void progressDrawsBarsOnATerminalAndPlainLinesWhenPiped() {
        String messages = """
                {"status":"Pulling from library/busybox","id":"latest"}
                {"status":"Downloading","progressDetail":{"current":500,"total":1000},"id":"abc"}
                {"status":"Download complete","id":"abc"}
                {"status":"Digest: sha256:1"}
                """;
        ByteArrayOutputStream piped = new ByteArrayOutputStream();
        new Progress(new java.io.PrintStream(piped, true, StandardCharsets.UTF_8), false)
                .show(new ByteArrayInputStream(messages.getBytes(StandardCharsets.UTF_8)));
        assertThat(piped.toString(StandardCharsets.UTF_8)).isEqualTo("latest: Pulling from library/busybox\nabc: Download complete\nDigest: sha256:1\n");
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        new Progress(new java.io.PrintStream(tty, true, StandardCharsets.UTF_8), true)
                .show(new ByteArrayInputStream(messages.getBytes(StandardCharsets.UTF_8)));
        assertThat(tty.toString(StandardCharsets.UTF_8)).contains("abc: Downloading [========================>" + " ".repeat(25) + "]  500B/1kB\n")
                .contains("\033[1A\r\033[2Kabc: Download complete");
        assertThatThrownBy(() -> new Progress(null, false).show(new ByteArrayInputStream("{\"error\":\"manifest unknown\"}\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(DaemonException.class).hasMessage("manifest unknown");
    }

    @Test
    void unitsParseAndPrintAsDockerDoes() {
        assertThat(Units.bytes("m", "64m")).isEqualTo(64L << 20);
        assertThat(Units.bytes("m", "1.5GiB")).isEqualTo(3L << 29);
        assertThat(Units.bytes("m", "512")).isEqualTo(512);
        assertThat(Units.durationNanos("d", "1h2m3.5s")).isEqualTo(3_723_500_000_000L);
        assertThat(Units.humanSize(2_129_920)).isEqualTo("2.13MB");
        assertThat(Units.binarySize(64L << 20)).isEqualTo("64MiB");
        assertThat(Units.humanDuration(3)).isEqualTo("3 seconds");
        assertThat(Units.humanDuration(90)).isEqualTo("About a minute");
        assertThat(Units.humanDuration(7200)).isEqualTo("2 hours");
    }
}
