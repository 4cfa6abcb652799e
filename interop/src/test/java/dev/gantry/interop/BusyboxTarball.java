package dev.gantry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.BusyboxRootfs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The testkit's busybox root filesystem as a tarball, for {@code podman import} and
 * {@code docker import}: there is no registry to pull an image from, so the tests make their own.
 */
final class BusyboxTarball {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private BusyboxTarball() {
    }

    /** Writes {@code <dir>/rootfs.tar} and returns it. */
    static Path create(Path dir) {
        Path tar = dir.resolve("rootfs.tar");
        HostCommand.Result packed = HostCommand.run(Map.of(), TIMEOUT,
                List.of("tar", "--numeric-owner", "-C", BusyboxRootfs.shared().toString(), "-cf", tar.toString(), "."));
        assertThat(packed.exitCode()).as(packed.describe()).isZero();
        return tar;
    }
}
