package dev.gantry.runtime.helper;

import dev.gantry.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The CVE-2019-5736 defence, step by step, against the recording fake. */
class HelperBinaryTest {
    @Test
    void helperRunsFromASealedReadOnlyMemfd() {
        RecordingSyscalls fake = new RecordingSyscalls()
                .answer("memfdCreate", a -> 7)
                .answer("write", a -> a[3])
                .answer("open", a -> 9)
                .answer("getpid", a -> 4242);
        HelperBinary helper = HelperBinary.load(fake.syscalls());
        assertThat(fake.names()).containsExactly("memfdCreate", "write", "fcntl", "open", "getpid", "close");
        var seal = fake.calls().get(2);
        // F_ADD_SEALS with SEAL | SHRINK | GROW | WRITE: nobody can change the image afterwards.
        assertThat(seal.args()).containsExactly(7, 1033, 0xf);
        // Executed through a read-only descriptor; the writable one is closed.
        assertThat(fake.calls().get(3).args().getFirst()).isEqualTo("/proc/self/fd/7");
        assertThat(fake.calls().get(5).args()).containsExactly(7);
        assertThat(helper.execPath()).isEqualTo("/proc/4242/fd/9");
    }
}
