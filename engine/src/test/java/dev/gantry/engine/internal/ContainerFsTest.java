package dev.gantry.engine.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerFsTest {
    @TempDir
    Path rootfs;

    @Test
    void readsRegularFilesAndFollowsLinksInsideTheRootfs() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd.real"), "root:x:0:0::/root:/bin/sh\n");
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/passwd.real"));
        assertThat(ContainerFs.readInContainer(rootfs, "/etc/passwd")).startsWith("root:x:0:0");
    }

    /** A container can make /etc/passwd a fifo; reading it must not block the engine. */
    @Test
    void fifoIsNotRead() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Process mk = new ProcessBuilder("mkfifo", rootfs.resolve("etc/passwd").toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        assertThat(ContainerFs.readInContainer(rootfs, "/etc/passwd")).isEmpty();
    }

    @Test
    void oversizedFileIsNotRead() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.write(rootfs.resolve("etc/group"), new byte[(1 << 20) + 1]);
        assertThat(ContainerFs.readInContainer(rootfs, "/etc/group")).isEmpty();
    }

    @Test
    void dataDirectoriesAreClosedToOtherUsers() throws Exception {
        Path dir = PrivateDirs.ensure(rootfs.resolve("data"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx--x---");
    }

    @Test
    void aMountIsAPathWhoseDeviceIsNotItsParents() throws Exception {
        Path dir = Files.createDirectories(rootfs.resolve("rootfs"));
        assertThat(ContainerFs.isMounted(dir)).isFalse();
        assertThat(ContainerFs.isMounted(rootfs.resolve("missing"))).isFalse();
        Files.createSymbolicLink(rootfs.resolve("link"), Path.of("/proc"));
        assertThat(ContainerFs.isMounted(rootfs.resolve("link"))).isFalse();
        assertThat(ContainerFs.isMounted(Path.of("/proc"))).isTrue();
    }
}
