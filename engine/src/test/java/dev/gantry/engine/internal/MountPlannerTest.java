package dev.gantry.engine.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MountPlannerTest {
    @TempDir
    Path tmp;

    @Test
    void copyUpFillsAnEmptyVolumeWithTheImageContent() throws Exception {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/data"));
        Files.writeString(rootfs.resolve("f"), "image");
        Path volume = Files.createDirectories(tmp.resolve("vol/_data"));
        MountPlanner.copyUp(tmp.resolve("rootfs"), "/data", volume);
        assertThat(Files.readString(volume.resolve("f"))).isEqualTo("image");
        assertThat(tmp.resolve("vol/_data.copy-up")).doesNotExist();
    }

    /**
     * A container sharing the volume plants a symlink in it: cp would write through it onto
     * the host. The copy goes to a private directory instead, and a volume that is not empty
     * keeps its content.
     */
    @Test
    void copyUpNeverWritesThroughAPlantedSymlink() throws Exception {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/data"));
        Files.writeString(rootfs.resolve("f"), "pwned");
        Path victim = Files.writeString(tmp.resolve("victim"), "host file");
        Path volume = Files.createDirectories(tmp.resolve("vol/_data"));
        Files.createSymbolicLink(volume.resolve("f"), victim);
        MountPlanner.copyUp(tmp.resolve("rootfs"), "/data", volume);
        assertThat(Files.readString(victim)).isEqualTo("host file");
        assertThat(Files.isSymbolicLink(volume.resolve("f"))).isTrue();
        assertThat(tmp.resolve("vol/_data.copy-up")).doesNotExist();
    }
}
