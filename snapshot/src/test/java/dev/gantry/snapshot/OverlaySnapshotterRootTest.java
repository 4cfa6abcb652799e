package dev.gantry.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import dev.gantry.oci.image.ChainId;
import dev.gantry.oci.image.Digest;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarReader;
import dev.gantry.testkit.RequiresRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers unpacked into snapshots, mounted with overlayfs, changed and diffed back (root). */
@RequiresRoot
class OverlaySnapshotterRootTest {
    @TempDir
    Path tmp;
    private final Syscalls fs = new LinuxSyscalls();
    private final Mounter mounter = new Mounter(fs);
    private final List<Path> mounted = new ArrayList<>();

    @AfterEach
    void unmountAll() {
        for (Path p : mounted) {
            try {
                mounter.unmount(p);
            } catch (GantryException alreadyGone) {
                // The test unmounted it itself.
            }
        }
    }

    private Path mount(List<Mount> mounts, String name) throws Exception {
        Path target = Files.createDirectories(tmp.resolve(name));
        mounter.mount(mounts, target);
        mounted.add(target);
        return target;
    }

    @Test
    void unpacksSharedLayersMountsAndDiffs() throws Exception {
        OverlaySnapshotter sn = new OverlaySnapshotter(tmp.resolve("snap"));
        LayerUnpacker unpacker = new LayerUnpacker(sn, new LayerApplier(fs), UnpackLimits.DEFAULT);
        byte[] base = new TarFixtures().dir("etc/", 0755).file("etc/hostname", "base").file("etc/gone", "x")
                .dir("opt/", 0755).file("opt/old", "o").build();
        byte[] top = new TarFixtures().dir("etc/", 0755).file("etc/.wh.gone", "").dir("opt/", 0755)
                .file("opt/.wh..wh..opq", "").file("opt/new", "n").build();
        Digest d1 = Digest.sha256(base);
        Digest d2 = Digest.sha256(top);
        List<Digest> chain = ChainId.of(List.of(d1, d2));
        unpacker.unpack(null, chain.get(0), d1, new ByteArrayInputStream(base));
        LayerUnpacker.Unpacked u = unpacker.unpack(chain.get(0), chain.get(1), d2, new ByteArrayInputStream(top));
        assertThat(u.uncompressedSize()).isEqualTo(top.length);
        assertThat(unpacker.isUnpacked(chain.get(1))).isTrue();
        assertThat(sn.stat(chain.get(1).toString()).parent()).isEqualTo(chain.get(0).toString());

        // A container's writable layer over the two.
        Path rootfs = mount(sn.prepare("ctr", chain.get(1).toString()), "rootfs");
        assertThat(Files.readString(rootfs.resolve("etc/hostname"))).isEqualTo("base");
        assertThat(rootfs.resolve("etc/gone")).doesNotExist();
        assertThat(rootfs.resolve("opt/old")).doesNotExist();
        assertThat(Files.readString(rootfs.resolve("opt/new"))).isEqualTo("n");
        Files.writeString(rootfs.resolve("etc/hostname"), "changed");
        Files.delete(rootfs.resolve("opt/new"));
        Files.createDirectories(rootfs.resolve("srv/data"));
        Files.writeString(rootfs.resolve("srv/data/a"), "A");
        Files.createLink(rootfs.resolve("srv/data/b"), rootfs.resolve("srv/data/a"));
        mounter.unmount(rootfs);

        ByteArrayOutputStream diff = new ByteArrayOutputStream();
        new OverlayDiffer(fs).diff(sn.layerDir("ctr"), diff);
        List<String> members = new ArrayList<>();
        TarReader r = new TarReader(new ByteArrayInputStream(diff.toByteArray()));
        for (TarEntry e; (e = r.next()) != null; ) {
            members.add(e.type() + " " + e.name() + (e.type() == TarEntry.Type.HARDLINK ? " -> " + e.linkName() : ""));
        }
        assertThat(members).containsExactly(
                "DIRECTORY etc/", "REGULAR etc/hostname", "DIRECTORY opt/", "REGULAR opt/.wh.new",
                "DIRECTORY srv/", "DIRECTORY srv/data/", "REGULAR srv/data/a", "HARDLINK srv/data/b -> srv/data/a");
        assertThat(sn.usage("ctr").bytes()).isEqualTo("changed".length() + 1);

        // The diff applied as a new layer reproduces the container's view.
        Digest d3 = Digest.sha256(diff.toByteArray());
        Digest c3 = ChainId.of(List.of(d1, d2, d3)).get(2);
        unpacker.unpack(chain.get(1), c3, d3, new ByteArrayInputStream(diff.toByteArray()));
        Path view = mount(sn.view("view", c3.toString()), "view");
        assertThat(Files.readString(view.resolve("etc/hostname"))).isEqualTo("changed");
        assertThat(view.resolve("opt/new")).doesNotExist();
        assertThat(Files.readString(view.resolve("srv/data/b"))).isEqualTo("A");
        assertThatThrownBy(() -> Files.writeString(view.resolve("x"), "y")).isInstanceOf(java.io.IOException.class);
        mounter.unmount(view);

        assertThatThrownBy(() -> sn.remove(chain.get(0).toString())).hasMessageContaining("is based on it");
        sn.remove("view");
        sn.remove("ctr");
        sn.remove(c3.toString());
        List<String> left = new ArrayList<>();
        sn.walk(i -> left.add(i.name()));
        assertThat(left).containsExactlyInAnyOrder(chain.get(0).toString(), chain.get(1).toString());
        // Metadata survives reopening.
        assertThat(new OverlaySnapshotter(tmp.resolve("snap")).stat(chain.get(1).toString()).kind())
                .isEqualTo(SnapshotInfo.Kind.COMMITTED);
    }

    @Test
    void refusedLayerLeavesNoSnapshot() throws InterruptedException {
        OverlaySnapshotter sn = new OverlaySnapshotter(tmp.resolve("snap"));
        LayerUnpacker unpacker = new LayerUnpacker(sn, new LayerApplier(fs), UnpackLimits.DEFAULT);
        byte[] evil = new TarFixtures().symlink("x", "/etc").file("x/evil", "e").build();
        Digest d = Digest.sha256(evil);
        assertThatThrownBy(() -> unpacker.unpack(null, d, d, new ByteArrayInputStream(evil))).hasMessageContaining("refused");
        byte[] ok = new TarFixtures().file("f", "x").build();
        Digest wrong = Digest.sha256("not this");
        assertThatThrownBy(() -> unpacker.unpack(null, wrong, wrong, new ByteArrayInputStream(ok)))
                .hasMessageContaining("does not match diff ID");
        List<String> left = new ArrayList<>();
        sn.walk(i -> left.add(i.name()));
        assertThat(left).isEmpty();
        // A removed snapshot's directory is renamed aside at once and deleted in the background.
        assertThat(tmp.resolve("snap/snapshots").toFile().list()).allMatch(n -> n.endsWith(".removed"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (tmp.resolve("snap/snapshots").toFile().list().length > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(tmp.resolve("snap/snapshots").toFile().list()).isEmpty();
        assertThat(Path.of("/etc/evil")).doesNotExist();
    }
}
