package dev.gantry.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.internal.ContainerFs;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NetnsMounts} on the real kernel: a namespace made and pinned with lo up, then let go. */
@RequiresRoot
class NetnsMountsRootTest {
    private final Syscalls sys = new LinuxSyscalls();

    @TempDir
    Path dir;

    private static String inNamespace(Path pin, String... cmd) throws Exception {
        String[] full = new String[cmd.length + 2];
        full[0] = "nsenter";
        full[1] = "--net=" + pin;
        System.arraycopy(cmd, 0, full, 2, cmd.length);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void aNamespaceIsMadeWithLoUpPinnedAndLetGo() throws Exception {
        NetnsMounts mounts = new NetnsMounts(sys, dir.resolve("netns"));
        Path pin = mounts.create("c1");
        try {
            assertThat(mounts.isBound("c1")).isTrue();
            assertThat(Files.getAttribute(pin, "unix:ino")).as("not the host's namespace")
                    .isNotEqualTo(Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino"));
            assertThat(inNamespace(pin, "ip", "-o", "link", "show", "lo")).contains("LOOPBACK,UP");
            assertThat(inNamespace(pin, "ip", "-o", "link")).as("nothing but lo").hasLineCount(1);
            assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString())
                    .as("the calling thread stays in the host's namespace")
                    .isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
        } finally {
            mounts.release("c1");
        }
        assertThat(ContainerFs.isMounted(pin)).isFalse();
        assertThat(pin).doesNotExist();
    }

    @Test
    void anInterfaceThatIsNotThereIsNamedInTheError() {
        assertThatThrownBy(() -> sys.interfaceUp("gtnosuch0")).hasMessageContaining("SIOCGIFFLAGS").hasMessageContaining("gtnosuch0");
        assertThatThrownBy(() -> sys.interfaceUp("a-name-far-too-long")).hasMessageContaining("a-name-far-too-long");
    }
}
