package dev.gantry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A root filesystem tarball made from Debian's static busybox, for {@code podman import} and
 * {@code docker import}: there is no registry to pull an image from, so the tests make their own.
 */
final class BusyboxTarball {

    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private BusyboxTarball() {
    }

    /** Writes {@code <dir>/rootfs.tar} (one applet link per busybox applet, /etc/passwd with nobody) and returns it. */
    static Path create(Path dir) throws IOException {
        assertThat(BUSYBOX).as("busybox-static provides %s", BUSYBOX).isExecutable();
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        for (String name : List.of("etc", "tmp", "proc", "sys", "dev", "root")) {
            Files.createDirectories(rootfs.resolve(name));
        }
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        HostCommand.Result applets = HostCommand.run(Map.of(), TIMEOUT, List.of(BUSYBOX.toString(), "--list"));
        assertThat(applets.exitCode()).as(applets.describe()).isZero();
        for (String applet : applets.stdout().strip().split("\n")) {
            if (!applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        Path tar = dir.resolve("rootfs.tar");
        HostCommand.Result packed = HostCommand.run(Map.of(), TIMEOUT,
                List.of("tar", "--numeric-owner", "-C", rootfs.toString(), "-cf", tar.toString(), "."));
        assertThat(packed.exitCode()).as(packed.describe()).isZero();
        return tar;
    }
}
