package dev.gantry.runtime.cli;

import dev.gantry.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalProxyTest {
    private static final byte[] SAVED = {1, 2, 3};

    @Test
    void interactiveTerminalIsRawForTheSessionAndSizedLikeOurs() throws Exception {
        RecordingSyscalls fake = new RecordingSyscalls()
                .answer("isatty", a -> true)
                .answer("windowSize", a -> new int[] {40, 120})
                .answer("makeRaw", a -> SAVED);
        TerminalProxy proxy = new TerminalProxy(fake.syscalls(), 11);
        proxy.finish();
        assertThat(fake.calls()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("setWindowSize");
            assertThat(c.args()).containsExactly(11, 40, 120);
        });
        assertThat(fake.names()).containsSubsequence("makeRaw", "close", "restoreTerminal");
        assertThat(fake.calls()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("restoreTerminal");
            assertThat(c.args()).containsExactly(0, SAVED);
        });
    }

    @Test
    void pipedInputIsLeftAlone() throws Exception {
        RecordingSyscalls fake = new RecordingSyscalls();
        new TerminalProxy(fake.syscalls(), 11).finish();
        assertThat(fake.names()).doesNotContain("makeRaw", "restoreTerminal", "setWindowSize");
    }
}
