package dev.gantry.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The tier itself: its JVM runs in a private mount namespace, so leaked mounts die with it. */
@RequiresRoot
class TierEnvironmentTest {
    @Test
    void testJvmHasAPrivateMountNamespace() throws Exception {
        Path own = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"));
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        Path maven = Files.readSymbolicLink(Path.of("/proc/" + parent + "/ns/mnt"));
        assertThat(own).as("surefire must start the JVM through src/test/jvm/bin/java").isNotEqualTo(maven);
        String self = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(self.lines().filter(l -> l.split(" ")[4].equals("/")).findFirst().orElseThrow())
                .as("root mount propagation").doesNotContain("shared:");
    }
}
