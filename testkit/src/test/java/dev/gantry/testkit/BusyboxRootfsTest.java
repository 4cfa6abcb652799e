package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusyboxRootfsTest {
    @Test
    void hasBusyboxAppletsAccountsAndMountPoints() throws Exception {
        Path rootfs = BusyboxRootfs.shared();
        assertThat(rootfs.resolve("bin/busybox")).isExecutable();
        assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(rootfs.resolve("usr/bin/id")).satisfiesAnyOf(
                p -> assertThat(Files.isSymbolicLink(p)).isTrue(),
                p -> assertThat(Files.isSymbolicLink(rootfs.resolve("bin/id"))).isTrue());
        assertThat(Files.readString(rootfs.resolve("etc/passwd")))
                .contains("root:x:0:0:", "user:x:1000:1000:", "nobody:x:65534:65534:");
        assertThat(Files.readString(rootfs.resolve("etc/group"))).contains("user:x:1000:");
        for (String dir : new String[] {"tmp", "proc", "sys", "dev", "root", "home/user"}) {
            assertThat(rootfs.resolve(dir)).isDirectory();
        }
        assertThat(Files.getAttribute(rootfs.resolve("home/user"), "unix:uid")).isEqualTo(1000);
        assertThat(BusyboxRootfs.shared()).isSameAs(rootfs);
    }

    @Test
    void copiesAreIndependentAndKeepSymlinks(@TempDir Path dir) throws Exception {
        Path copy = BusyboxRootfs.copyTo(dir.resolve("rootfs"));
        Files.writeString(copy.resolve("etc/only-here"), "x");
        assertThat(BusyboxRootfs.shared().resolve("etc/only-here")).doesNotExist();
        assertThat(Files.isSymbolicLink(copy.resolve("bin/sh"))).isTrue();
        assertThat(copy.resolve("bin/busybox")).isExecutable();
    }

    @Test
    void deleteDoesNotFollowSymlinksOutOfTheTree(@TempDir Path dir) throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        Path tree = Files.createDirectories(dir.resolve("tree/sub"));
        Files.createSymbolicLink(tree.resolve("evil"), outside);
        TestFiles.delete(dir.resolve("tree"));
        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(outside.resolve("keep")).exists();
        assertThat(Files.exists(dir.resolve("tree"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void containerIdsAreUniqueAndCarryTheLabel() {
        String a = ContainerIds.next("pidOne!");
        String b = ContainerIds.next("pidOne!");
        assertThat(a).isNotEqualTo(b).startsWith("gt-").endsWith("-pidone").matches("[a-z0-9_.-]+");
    }
}
