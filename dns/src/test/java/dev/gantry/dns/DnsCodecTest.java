package dev.gantry.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DnsCodecTest {

    private static Message sampleResponse() {
        return new Message(0xBEEF, Message.QR | Message.AA | Message.RD | Message.RA,
                List.of(new Question("Web.Example.com", RecordTypes.A, RecordTypes.CLASS_IN)),
                List.of(new ResourceRecord("Web.Example.com", RecordTypes.A, RecordTypes.CLASS_IN, 600, new byte[] {10, 0, 0, 2}),
                        new ResourceRecord("Web.Example.com", RecordTypes.A, RecordTypes.CLASS_IN, 600, new byte[] {10, 0, 0, 3})),
                List.of(new ResourceRecord("example.com", 2, RecordTypes.CLASS_IN, 3600, WireWriter.uncompressedName("ns.example.com"))),
                List.of(new ResourceRecord("", RecordTypes.OPT, 1232, 0, new byte[] {0, 10, 0, 2, 1, 2})));
    }

    @Test
    void messageSurvivesEncodeAndDecode() {
        Message message = sampleResponse();
        byte[] wire = DnsCodec.encode(message);

        assertThat(DnsCodec.decode(wire, wire.length)).isEqualTo(message);
    }

    @Test
    void repeatedNamesAreCompressedToPointers() {
        byte[] wire = DnsCodec.encode(sampleResponse());
        // Header 12 + question (17-byte name + 4) = 33; each answer (2 + 10 + 4 bytes) then
        // starts with a pointer to the question's name at offset 12.
        for (int answerStart : new int[] {33, 49}) {
            assertThat(wire[answerStart] & 0xFF).isEqualTo(0xC0);
            assertThat(wire[answerStart + 1]).isEqualTo((byte) 12);
        }
    }

    @Test
    void namesWithDotsBackslashesAndBinaryBytesRoundTripThroughTheirEscapes() {
        String name = "a\\.b.c\\\\d.\\000\\255x";
        byte[] wire = DnsCodec.encode(Queries.query(1, name, RecordTypes.A));

        Message decoded = DnsCodec.decode(wire, wire.length);

        assertThat(decoded.questions().getFirst().name()).isEqualTo(name);
        assertThat(DomainNames.labels(name)).hasSize(3);
        assertThat(DomainNames.labels(name).get(2)).containsExactly(0, 255, 'x');
    }

    @Test
    void rootNameAndTrailingDotAreAccepted() {
        assertThat(DomainNames.labels("")).isEmpty();
        assertThat(DomainNames.labels("web.")).hasSize(1);
        byte[] wire = DnsCodec.encode(Queries.query(1, "", RecordTypes.A));
        assertThat(DnsCodec.decode(wire, wire.length).questions().getFirst().name()).isEmpty();
    }

    @Test
    void encodingRefusesLabelsAndNamesTooLong() {
        assertThatThrownBy(() -> WireWriter.uncompressedName("a".repeat(64) + ".com"))
                .isInstanceOf(GantryException.class).hasMessageContaining("label longer than 63");
        String longName = String.join(".", java.util.Collections.nCopies(5, "a".repeat(63)));
        assertThatThrownBy(() -> WireWriter.uncompressedName(longName))
                .isInstanceOf(GantryException.class).hasMessageContaining("longer than 255");
        assertThatThrownBy(() -> WireWriter.uncompressedName("a..b"))
                .isInstanceOf(GantryException.class).hasMessageContaining("empty label");
    }

    @Test
    void selfPointingCompressionPointerIsRefused() {
        byte[] packet = header(1);
        packet = concat(packet, new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1});

        assertMalformed(packet, "does not point backwards");
    }

    @Test
    void pointerLoopBetweenTwoNamesEnds() {
        // Question name "a" then a pointer back to its own start: a -> a -> a ...
        byte[] packet = concat(header(1), new byte[] {1, 'a', (byte) 0xC0, 12, 0, 1, 0, 1});

        assertMalformed(packet, "longer than 255");
    }

    @Test
    void longChainsOfPointersEnd() {
        // The first answer's RDATA holds 200 pointers, each to the one before it (the first to
        // the root name at offset 12); the second answer's name enters the chain at its end.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 2, 0, 0, 0, 0});
        out.writeBytes(new byte[] {0, 0, 1, 0, 1});
        out.writeBytes(new byte[] {0, 0, 1, 0, 1, 0, 0, 0, 0, 400 >> 8, (byte) 400});
        int previous = 12;
        for (int i = 0; i < 200; i++) {
            int here = out.size();
            out.write(0xC0 | (previous >> 8));
            out.write(previous);
            previous = here;
        }
        out.write(0xC0 | (previous >> 8));
        out.write(previous);
        out.writeBytes(new byte[] {0, 1, 0, 1, 0, 0, 0, 0, 0, 0});

        assertMalformed(out.toByteArray(), "more than 127 compression pointers");
    }

    @Test
    void labelLengthAbove63IsRefused() {
        byte[] packet = concat(header(1), new byte[] {64});
        packet = concat(packet, new byte[64]);
        packet = concat(packet, new byte[] {0, 0, 1, 0, 1});

        assertMalformed(packet, "0x40");
    }

    @Test
    void nameLongerThan255BytesThroughPointersIsRefused() {
        // Four 63-byte labels written once, then reused with one more label in front: 257 bytes expanded.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(2));
        for (int i = 0; i < 4; i++) {
            out.write(63);
            out.writeBytes("x".repeat(63).getBytes());
        }
        out.write(0);
        out.writeBytes(new byte[] {0, 1, 0, 1});
        assertThat(out.size()).isEqualTo(12 + 257 + 4);
        out.writeBytes(new byte[] {1, 'y', (byte) 0xC0, 12, 0, 1, 0, 1});

        assertMalformed(out.toByteArray(), "longer than 255");
    }

    @Test
    void everyCutOfAValidMessageIsRefusedAsMalformed() {
        byte[] wire = DnsCodec.encode(sampleResponse());
        for (int length = 0; length < wire.length; length++) {
            int cut = length;
            assertThatThrownBy(() -> DnsCodec.decode(wire, cut))
                    .as("cut at %d", cut)
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] wire = concat(DnsCodec.encode(Queries.query(7, "web", RecordTypes.A)), new byte[] {1});

        assertMalformed(wire, "after the last record");
    }

    @Test
    void randomBytesNeverThrowAnythingButGantryException() {
        Random random = new Random(42);
        byte[] valid = DnsCodec.encode(sampleResponse());
        for (int round = 0; round < 50_000; round++) {
            byte[] packet;
            if (round % 2 == 0) {
                packet = new byte[random.nextInt(80)];
                random.nextBytes(packet);
            } else {
                packet = valid.clone();
                for (int flips = 0; flips < 3; flips++) {
                    packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                DnsCodec.decode(packet, packet.length);
            } catch (GantryException expected) {
                assertThat(expected.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            }
        }
    }

    private static void assertMalformed(byte[] packet, String detail) {
        assertThatThrownBy(() -> DnsCodec.decode(packet, packet.length))
                .isInstanceOf(GantryException.class)
                .hasMessageStartingWith("DNS message: ")
                .hasMessageContaining(detail);
    }

    static byte[] header(int questions) {
        return new byte[] {0x12, 0x34, 0x01, 0x00, 0, (byte) questions, 0, 0, 0, 0, 0, 0};
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
