package dev.gantry.base;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BulkInputStreamTest {
    /** Serves {@code data}, at most {@code chunk} bytes a call, then end of stream or {@code failure}. */
    private static BulkInputStream of(byte[] data, int chunk, String failure) {
        return new BulkInputStream() {
            private int pos;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos == data.length) {
                    if (failure != null) {
                        throw new IOException(failure);
                    }
                    return -1;
                }
                int n = Math.min(Math.min(len, chunk), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void oneByteReadsAreUnsignedAndEndWithMinusOne() throws IOException {
        try (BulkInputStream in = of(new byte[] {0, 0x7f, (byte) 0x80, (byte) 0xff}, 3, null)) {
            assertThat(in.read()).isZero();
            assertThat(in.read()).isEqualTo(0x7f);
            assertThat(in.read()).isEqualTo(0x80);
            assertThat(in.read()).isEqualTo(0xff);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void oneByteReadsMixWithBulkReadsAndPassFailuresOn() throws IOException {
        BulkInputStream in = of(new byte[] {1, 2, 3, 4, 5}, 2, "connection reset");
        byte[] two = new byte[2];
        assertThat(in.read()).isEqualTo(1);
        assertThat(in.read(two, 0, 2)).isEqualTo(2);
        assertThat(two).containsExactly(2, 3);
        assertThat(in.read()).isEqualTo(4);
        assertThat(in.read()).isEqualTo(5);
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("connection reset");
    }
}
