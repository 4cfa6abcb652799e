package dev.gantry.snapshot;

import dev.gantry.base.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarWriter;
import dev.gantry.testkit.RequiresRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applies fixture layers for real (ownership, devices and trusted xattrs need root). */
@RequiresRoot
class LayerApplierRootTest {
    @TempDir
    Path tmp;
    private final Syscalls fs = new LinuxSyscalls();
    private final LayerApplier applier = new LayerApplier(fs);
    private Path root;
    private Path host;

    @BeforeEach
    void dirs() throws Exception {
        root = Files.createDirectories(tmp.resolve("layer"));
        host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(host.resolve("victim"), "original");
    }

    private void apply(byte[] tar) throws Exception {
        applier.apply(new ByteArrayInputStream(tar), root);
    }

    private Map<String, Object> attrs(Path p) throws Exception {
        return Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void appliesEveryMemberKindWithMetadata() throws Exception {
        // vfs_cap_data revision 2 granting cap_net_raw (bit 13) as permitted and effective.
        byte[] cap = {0x01, 0, 0, 0x02, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        String longName = "usr/" + "l".repeat(130) + "/file";
        apply(new TarFixtures()
                .dir("./", 0755)
                .dir("bin/", 0711)
                .file("bin/ping", "ELF", 04755, 1000, 1001, Map.of("security.capability", cap,
                        "user.origin", "test".getBytes(StandardCharsets.UTF_8)))
                .hardlink("bin/ping2", "bin/ping")
                .symlink("bin/sh", "/bin/busybox")
                .device("dev/null", TarEntry.Type.CHAR_DEVICE, 1, 3)
                .device("dev/loop9", TarEntry.Type.BLOCK_DEVICE, 7, 9)
                .device("run/fifo", TarEntry.Type.FIFO, 0, 0)
                .file(longName, "deep")
                .build());

        Path ping = root.resolve("bin/ping");
        Map<String, Object> a = attrs(ping);
        assertThat(a.get("uid")).isEqualTo(1000);
        assertThat(a.get("gid")).isEqualTo(1001);
        assertThat((int) a.get("mode") & 07777).isEqualTo(04755);
        assertThat(Files.getLastModifiedTime(ping).toMillis()).isEqualTo(1_600_000_123_000L);
        assertThat(fs.lgetxattr(ping.toString(), "security.capability")).isEqualTo(cap);
        assertThat(fs.lgetxattr(ping.toString(), "user.origin")).isEqualTo("test".getBytes(StandardCharsets.UTF_8));
        assertThat(attrs(root.resolve("bin/ping2")).get("ino")).isEqualTo(a.get("ino"));
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh")).toString()).isEqualTo("/bin/busybox");
        assertThat((long) attrs(root.resolve("dev/null")).get("rdev")).isEqualTo(dev.gantry.sys.DeviceNumbers.makedev(1, 3));
        assertThat((int) attrs(root.resolve("dev/loop9")).get("mode") & Syscalls.S_IFMT).isEqualTo(Syscalls.S_IFBLK);
        assertThat((int) attrs(root.resolve("run/fifo")).get("mode") & Syscalls.S_IFMT).isEqualTo(Syscalls.S_IFIFO);
        assertThat(Files.readString(root.resolve(longName))).isEqualTo("deep");
        assertThat((int) attrs(root.resolve("bin")).get("mode") & 07777).isEqualTo(0711);
        assertThat(Files.getLastModifiedTime(root.resolve("bin")).toMillis()).isEqualTo(1_600_000_000_000L);
    }

    @Test
    void turnsWhiteoutsIntoOverlayForm() throws Exception {
        apply(new TarFixtures()
                .dir("etc/", 0755)
                .file("etc/.wh.removed", "")
                .dir("opt/", 0755)
                .file("opt/.wh..wh..opq", "")
                .file("opt/kept", "k")
                .build());
        Map<String, Object> w = attrs(root.resolve("etc/removed"));
        assertThat((int) w.get("mode") & Syscalls.S_IFMT).isEqualTo(Syscalls.S_IFCHR);
        assertThat((long) w.get("rdev")).isZero();
        assertThat(fs.lgetxattr(root.resolve("opt").toString(), "trusted.overlay.opaque")).isEqualTo(new byte[] {'y'});
        assertThat(Files.exists(root.resolve("opt/.wh..wh..opq"))).isFalse();
        assertThat(Files.readString(root.resolve("opt/kept"))).isEqualTo("k");
    }

    @Test
    void refusesDotDotPaths() {
        assertRefused(new TarFixtures().file("../host/victim", "pwned").build(), "'..'");
        assertRefused(new TarFixtures().file("a/../../host/victim", "pwned").build(), "'..'");
    }

    @Test
    void refusesAbsolutePaths() {
        assertRefused(new TarFixtures().file(host.resolve("victim").toString(), "pwned").build(), "absolute path");
    }

    @Test
    void refusesWritingThroughASymlinkedParent() {
        assertRefused(new TarFixtures().symlink("evil", host.toString()).file("evil/victim", "pwned").build(),
                "parent directory is a symlink");
        assertRefused(new TarFixtures().symlink("up", "../host").file("up/victim", "pwned").build(),
                "parent directory is a symlink");
        assertRefused(new TarFixtures().dir("d/", 0755).symlink("d/e", "/").file("d/e/tmp/planted", "x").build(),
                "parent directory is a symlink");
        assertThat(Files.exists(Path.of("/tmp/planted"))).isFalse();
    }

    @Test
    void refusesWritingThroughADirectoryReplacedByASymlinkAfterUse() throws Exception {
        // d and d/e are opened (and their fds kept) by the first files; then d becomes a
        // symlink to the host: the members below it must resolve afresh and be refused.
        assertRefused(new TarFixtures().file("d/first", "1").file("d/e/first", "1")
                .symlink("d", host.toString()).file("d/victim", "pwned").build(), "parent directory is a symlink");
        emptyRoot();
        assertRefused(new TarFixtures().file("d/e/first", "1")
                .symlink("d", host.toString()).file("d/e/victim", "pwned").build(), "parent directory is a symlink");
        emptyRoot();
        assertRefused(new TarFixtures().file("d/e/first", "1").file("d/.wh.e", "")
                .symlink("d/e", host.toString()).hardlink("d/e/victim", "d/e/first").build(), "parent directory is a symlink");
    }

    @Test
    void aDirectoryReplacedByAFileAndBackStartsEmpty() throws Exception {
        apply(new TarFixtures().file("d/old", "o").file("d", "now a file").dir("d/", 0750).file("d/new", "n").build());
        assertThat(Files.readString(root.resolve("d/new"))).isEqualTo("n");
        assertThat(root.resolve("d/old")).doesNotExist();
        assertThat((int) attrs(root.resolve("d")).get("mode") & 07777).isEqualTo(0750);
    }

    @Test
    void laterMembersReplaceEarlierOnesOfAnyType() throws Exception {
        apply(new TarFixtures().file("a", "file").symlink("a", "target").file("b", "1").file("b", "2")
                .dir("c/", 0755).file("c/x", "x").symlink("c", "elsewhere").device("f", TarEntry.Type.FIFO, 0, 0)
                .file("f", "regular again").build());
        assertThat(Files.readSymbolicLink(root.resolve("a")).toString()).isEqualTo("target");
        assertThat(Files.readString(root.resolve("b"))).isEqualTo("2");
        assertThat(Files.readSymbolicLink(root.resolve("c")).toString()).isEqualTo("elsewhere");
        assertThat(Files.readString(root.resolve("f"))).isEqualTo("regular again");
    }

    /**
     * A hardlink that replaces a directory holding its own target: removing the directory
     * closes the cached descriptors below it, so the target must be resolved afresh (a stale
     * descriptor number could meanwhile name another layer's directory).
     */
    @Test
    void hardlinkReplacingTheDirectoryOfItsTargetIsRefusedCleanly() {
        assertRefused(new TarFixtures().dir("x/", 0755).file("x/y", "y").hardlink("x", "x/y").build(), "a parent directory does not exist");
    }

    @Test
    void refusesHardlinksOutOfTheLayer() {
        assertRefused(new TarFixtures().hardlink("h", "../host/victim").build(), "'..'");
        assertRefused(new TarFixtures().hardlink("h", host.resolve("victim").toString()).build(), "absolute path");
        assertRefused(new TarFixtures().symlink("s", host.toString()).hardlink("h", "s/victim").build(),
                "parent directory is a symlink");
    }

    @Test
    void replacesASymlinkInsteadOfWritingThroughIt() throws Exception {
        apply(new TarFixtures().symlink("x", host.resolve("victim").toString()).file("x", "layer content").build());
        assertThat(Files.isSymbolicLink(root.resolve("x"))).isFalse();
        assertThat(Files.readString(root.resolve("x"))).isEqualTo("layer content");
        assertThat(Files.readString(host.resolve("victim"))).isEqualTo("original");
    }

    @Test
    void hardlinkToASymlinkLinksTheLinkItself() throws Exception {
        apply(new TarFixtures().symlink("s", host.resolve("victim").toString()).hardlink("h", "s").build());
        assertThat(Files.isSymbolicLink(root.resolve("h"))).isTrue();
        assertThat(Files.readString(host.resolve("victim"))).isEqualTo("original");
    }

    @Test
    void refusesDecompressionBombs() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            byte[] zeros = new byte[1 << 20];
            TarWriter t = new TarWriter(z);
            t.putEntry(TarEntry.of("zeros", TarEntry.Type.REGULAR, 0644, 64L << 20, 0));
            for (int i = 0; i < 64; i++) {
                t.write(zeros, 0, zeros.length);
            }
            t.finish();
        }
        byte[] bomb = gz.toByteArray();
        UnpackLimits bySize = new UnpackLimits(8L << 20, 1e9, 0);
        assertThatThrownBy(() -> applier.apply(LayerStreams.uncompressed(new ByteArrayInputStream(bomb), bySize), root))
                .isInstanceOf(GantryException.class).hasMessageContaining("uncompressed size exceeds");
        UnpackLimits byRatio = new UnpackLimits(1L << 40, 100, 1 << 20);
        assertThatThrownBy(() -> applier.apply(LayerStreams.uncompressed(new ByteArrayInputStream(bomb), byRatio), root))
                .isInstanceOf(GantryException.class).hasMessageContaining("compression ratio exceeds");
    }

    private void emptyRoot() throws Exception {
        FileTrees.delete(root);
        Files.createDirectories(root);
    }

    private void assertRefused(byte[] tar, String why) {
        assertThatThrownBy(() -> apply(tar)).isInstanceOf(GantryException.class).hasMessageContaining("refused")
                .hasMessageContaining(why);
        try {
            assertThat(Files.readString(host.resolve("victim"))).isEqualTo("original");
            try (var s = Files.list(host)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("victim");
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
