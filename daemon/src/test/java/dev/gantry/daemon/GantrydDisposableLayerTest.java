package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydProcess.DOCKER;
import static dev.gantry.daemon.GantrydProcess.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A --rm container's writable layer is mounted volatile (no sync at unmount); a kept one is not. */
@SharedGantryd
class GantrydDisposableLayerTest {
    private final GantrydProcess gantryd;

    GantrydDisposableLayerTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    private String rootfsMountOptions(String id) throws Exception {
        String rootfs = gantryd.dir.resolve("root/engine/containers").resolve(id).resolve("rootfs").toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.split(" ")[4].equals(rootfs))
                .findFirst().orElseThrow(() -> new AssertionError("no mount on " + rootfs));
    }

    @Test
    void onlyARemovedOnExitContainerHasAVolatileLayer() throws Exception {
        String disposable = gantryd.ok(DOCKER, "run", "-d", "--rm", IMAGE, "sleep", "300").trim();
        String kept = gantryd.ok(DOCKER, "run", "-d", "--name", "kept", IMAGE, "sleep", "300").trim();
        try {
            assertThat(rootfsMountOptions(disposable)).contains("volatile");
            assertThat(rootfsMountOptions(kept)).doesNotContain("volatile");
            // It still works as a file system, and the container goes with its layer on exit.
            assertThat(gantryd.ok(DOCKER, "exec", disposable, "sh", "-c", "echo data > /f && cat /f")).isEqualTo("data\n");
            gantryd.ok(DOCKER, "kill", disposable);
            gantryd.docker(DOCKER, "wait", disposable);
            for (int i = 0; i < 100 && gantryd.docker(DOCKER, "inspect", disposable).exitCode() == 0; i++) {
                Thread.sleep(50);
            }
            assertThat(gantryd.docker(DOCKER, "inspect", disposable).exitCode()).isEqualTo(1);
            // A kept container restarts on its (non-volatile) layer with its data.
            gantryd.ok(DOCKER, "exec", "kept", "sh", "-c", "echo kept > /f");
            gantryd.ok(DOCKER, "restart", "-t", "0", "kept");
            assertThat(gantryd.ok(DOCKER, "exec", "kept", "cat", "/f")).isEqualTo("kept\n");
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", disposable, "kept");
        }
    }
}
