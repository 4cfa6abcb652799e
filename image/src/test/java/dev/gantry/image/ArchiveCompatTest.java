package dev.gantry.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.image.registry.CredentialStore;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.image.registry.RegistryConfig;
import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageConfig;
import dev.gantry.oci.image.ImageIndex;
import dev.gantry.oci.image.ImageJson;
import dev.gantry.oci.image.ImageLayout;
import dev.gantry.oci.image.ImageManifest;
import dev.gantry.oci.image.MediaType;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarWriter;
import dev.gantry.testkit.RequiresRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tarballs in the shapes other tools write, built by the test. */
@RequiresRoot
class ArchiveCompatTest {
    @TempDir
    Path tmp;

    private ImageService service() {
        return ImageService.open(tmp.resolve("store"),
                new RegistryClient(RegistryClient.defaultHttpClient(), RegistryConfig.DEFAULT, CredentialStore.NONE));
    }

    /**
     * Docker 25+ {@code docker save}: an OCI layout (uncompressed layers, names in
     * io.containerd.image.name) and a legacy manifest.json pointing into blobs/, with a
     * duplicate layer path stored as a symlink.
     */
    @Test
    void loadsDocker25SaveOutput() throws Exception {
        byte[] layer = TestImages.tar(w -> TestImages.file(w, "etc/motd", "hi\n".getBytes(StandardCharsets.UTF_8), 0644));
        Digest layerDigest = Digest.sha256(layer);
        ContainerConfig cc = new ContainerConfig(null, null, List.of("A=1"), null, List.of("/bin/sh"), null, null, null, null,
                null, null, null, null);
        byte[] config = ImageJson.write(new ImageConfig("2026-01-01T00:00:00Z", null, "amd64", "linux", null, null, cc,
                ImageConfig.RootFs.layers(List.of(layerDigest)), null));
        Descriptor cd = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(config), config.length);
        Descriptor ld = Descriptor.of(MediaType.OCI_LAYER, layerDigest, layer.length);
        byte[] manifest = ImageJson.write(ImageManifest.of(MediaType.OCI_MANIFEST, cd, List.of(ld)));
        Descriptor md = Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256(manifest), manifest.length)
                .withAnnotations(Map.of(ImageLayout.IMAGE_NAME, "docker.io/library/saved:v25", ImageLayout.REF_NAME, "v25"));
        String legacy = "[{\"Config\":\"blobs/sha256/" + cd.digest().hex() + "\",\"RepoTags\":[\"saved:v25\"],"
                + "\"Layers\":[\"blobs/sha256/" + layerDigest.hex() + "\"]}]";

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            put(w, "blobs/sha256/" + layerDigest.hex(), layer);
            put(w, "blobs/sha256/" + cd.digest().hex(), config);
            put(w, "blobs/sha256/" + md.digest().hex(), manifest);
            put(w, ImageLayout.INDEX_FILE, ImageJson.write(ImageIndex.of(List.of(md))));
            put(w, "manifest.json", legacy.getBytes(StandardCharsets.UTF_8));
            put(w, ImageLayout.LAYOUT_FILE, ImageJson.write(ImageLayout.LayoutFile.current()));
        }
        ImageService images = service();
        assertThat(images.load(new ByteArrayInputStream(out.toByteArray()))).containsExactly("saved:v25");
        LocalImage img = images.resolve("saved:v25");
        assertThat(img.id()).isEqualTo(cd.digest());
        assertThat(img.record().target().digest()).isEqualTo(md.digest());
        assertThat(images.inspect("saved:v25").config().env()).containsExactly("A=1");
    }

    /** Pre-25 {@code docker save}: <id>/layer.tar members, a symlinked duplicate, manifest.json. */
    @Test
    void loadsLegacyDockerSaveWithSymlinkedLayers() throws Exception {
        byte[] l1 = TestImages.tar(w -> TestImages.file(w, "a", "1".getBytes(StandardCharsets.UTF_8), 0644));
        byte[] config = ImageJson.write(new ImageConfig(null, null, "amd64", "linux", null, null, null,
                ImageConfig.RootFs.layers(List.of(Digest.sha256(l1), Digest.sha256(l1))), null));
        String cfgName = Digest.sha256(config).hex() + ".json";
        String legacy = "[{\"Config\":\"" + cfgName + "\",\"RepoTags\":[\"legacy/app:1\",\"legacy/app:latest\"],"
                + "\"Layers\":[\"aaa/layer.tar\",\"bbb/layer.tar\"]}]";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            w.putEntry(TarEntry.of("aaa", TarEntry.Type.DIRECTORY, 0755, 0, 0));
            put(w, "aaa/layer.tar", l1);
            w.putEntry(TarEntry.of("bbb", TarEntry.Type.DIRECTORY, 0755, 0, 0));
            w.putEntry(new TarEntry("bbb/layer.tar", TarEntry.Type.SYMLINK, 0777, 0, 0, "", "", 0, 0, 0, "../aaa/layer.tar", 0, 0, Map.of()));
            put(w, cfgName, config);
            put(w, "manifest.json", legacy.getBytes(StandardCharsets.UTF_8));
        }
        ImageService images = service();
        assertThat(images.load(new ByteArrayInputStream(out.toByteArray()))).containsExactly("legacy/app:1", "legacy/app:latest");
        assertThat(images.resolve("legacy/app:latest").manifest().layers()).hasSize(2);
        assertThat(images.list()).singleElement().satisfies(s -> assertThat(s.repoTags()).hasSize(2));
    }

    @Test
    void refusesArchivesThatAreNeither() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            put(w, "random.txt", "x".getBytes(StandardCharsets.UTF_8));
        }
        ImageService images = service();
        assertThatThrownBy(() -> images.load(new ByteArrayInputStream(out.toByteArray())))
                .hasMessageContaining("neither manifest.json");
        List<Object> blobs = new java.util.ArrayList<>();
        images.content().walk(blobs::add);
        assertThat(blobs).isEmpty();
    }

    private static void put(TarWriter w, String name, byte[] data) throws java.io.IOException {
        w.putEntry(TarEntry.of(name, TarEntry.Type.REGULAR, 0644, data.length, 0));
        w.write(data, 0, data.length);
    }
}
