package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DetachKeysTest {
    private static String passed(DetachKeys.Scanner s, byte[] in, boolean[] detached) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        detached[0] = s.scan(in, in.length, out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void defaultIsCtrlPCtrlQAndEndsTheInput() {
        boolean[] detached = new boolean[1];
        String out = passed(DetachKeys.parse(null).scanner(), new byte[] {'a', 16, 17, 'z'}, detached);
        assertThat(detached[0]).isTrue();
        assertThat(out).isEqualTo("a");
    }

    @Test
    void aPartialMatchIsHeldBackThenPassedOnWhenItFails() {
        DetachKeys.Scanner s = DetachKeys.parse("ctrl-p,ctrl-q").scanner();
        boolean[] detached = new boolean[1];
        assertThat(passed(s, new byte[] {'x', 16}, detached)).isEqualTo("x");
        assertThat(detached[0]).isFalse();
        assertThat(passed(s, new byte[] {16, 'y'}, detached)).isEqualTo("\u0010\u0010y");
        assertThat(detached[0]).isFalse();
    }

    @Test
    void aSequenceSplitAcrossReadsStillDetaches() {
        DetachKeys.Scanner s = DetachKeys.parse("a,ctrl-\\").scanner();
        boolean[] detached = new boolean[1];
        assertThat(passed(s, new byte[] {'a'}, detached)).isEmpty();
        assertThat(passed(s, new byte[] {28}, detached)).isEmpty();
        assertThat(detached[0]).isTrue();
    }

    @Test
    void controlCodesFollowAscii() {
        boolean[] detached = new boolean[1];
        passed(DetachKeys.parse("ctrl-@,ctrl-_,ctrl-Z").scanner(), new byte[] {0, 31, 26}, detached);
        assertThat(detached[0]).isTrue();
    }

    @Test
    void anInvalidKeyIsNamed() {
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-p,ctrl-1"))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("ctrl-1");
        assertThatThrownBy(() -> DetachKeys.parse("abc")).hasMessageContaining("'abc'");
    }
}
