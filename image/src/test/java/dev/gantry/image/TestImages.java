package dev.gantry.image;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Builds test images as OCI image layouts on disk: a busybox layer from Debian's
 * busybox-static, a layer with a whiteout and a hardlink, optionally bulk layers of random
 * data (incompressible, for benchmarks).
 */
final class TestImages {
    static final ContainerConfig CONFIG = new ContainerConfig("1000:1000",
            Map.of("8080/tcp", Map.of()), List.of("PATH=/bin", "GREETING=hello world"), List.of("/bin/sh", "-c"),
            List.of("echo $GREETING"), Map.of("/data", Map.of()), "/tmp", Map.of("org.example.k", "v"), "SIGUSR1", null,
            new ContainerConfig.Healthcheck(List.of("CMD-SHELL", "true"), 30_000_000_000L, 5_000_000_000L, null, null, 3),
            null, null);

    /** A built image: the manifest and config descriptors (digests as skopeo will push them). */
    record Built(Descriptor manifest, Descriptor config, List<Descriptor> layers, List<Digest> diffIds) {
    }

    private TestImages() {
    }

    static Built busybox(Path layout, int bulkLayers, int bulkMegabytes) throws IOException {
        List<byte[]> tars = new ArrayList<>();
        byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
        tars.add(tar(w -> {
            dir(w, "bin/", 0755);
            file(w, "bin/busybox", busybox, 0755);
            link(w, "bin/sh", "busybox");
            link(w, "bin/ls", "busybox");
            dir(w, "etc/", 0755);
            file(w, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0644);
            file(w, "etc/old", "to be removed".getBytes(StandardCharsets.UTF_8), 0644);
            dir(w, "tmp/", 01777);
        }));
        tars.add(tar(w -> {
            dir(w, "etc/", 0755);
            file(w, "etc/.wh.old", new byte[0], 0644);
            file(w, "etc/hello", "hello from layer 2\n".getBytes(StandardCharsets.UTF_8), 0644);
            dir(w, "usr/", 0755);
            file(w, "usr/a", "linked".getBytes(StandardCharsets.UTF_8), 0644);
            w.putEntry(new TarEntry("usr/b", TarEntry.Type.HARDLINK, 0644, 0, 0, "", "", 0, 1_700_000_000L, 0, "usr/a", 0, 0, Map.of()));
        }));
        Random random = new Random(42);
        for (int i = 0; i < bulkLayers; i++) {
            int n = i;
            tars.add(tar(w -> {
                byte[] data = new byte[1 << 20];
                w.putEntry(TarEntry.of("bulk" + n + ".bin", TarEntry.Type.REGULAR, 0644, (long) bulkMegabytes << 20, 1_700_000_000L));
                for (int m = 0; m < bulkMegabytes; m++) {
                    random.nextBytes(data);
                    w.write(data, 0, data.length);
                }
            }));
        }
        Files.createDirectories(layout.resolve("blobs/sha256"));
        List<Descriptor> layers = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        for (byte[] t : tars) {
            diffIds.add(Digest.sha256(t));
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
                z.write(t);
            }
            layers.add(blob(layout, MediaType.OCI_LAYER_GZIP, gz.toByteArray()));
        }
        ImageConfig config = new ImageConfig("2026-01-02T03:04:05Z", "gantry tests", "amd64", "linux", null, null, CONFIG,
                ImageConfig.RootFs.layers(diffIds),
                diffIds.stream().map(d -> new ImageConfig.History("2026-01-02T03:04:05Z", "layer " + d.hex().substring(0, 8),
                        null, null, null)).toList());
        Descriptor cd = blob(layout, MediaType.OCI_CONFIG, ImageJson.write(config));
        Descriptor md = blob(layout, MediaType.OCI_MANIFEST, ImageJson.write(ImageManifest.of(MediaType.OCI_MANIFEST, cd, layers)));
        Files.write(layout.resolve(ImageLayout.INDEX_FILE), ImageJson.write(ImageIndex.of(List.of(
                md.withAnnotations(Map.of(ImageLayout.REF_NAME, "latest"))))));
        Files.write(layout.resolve(ImageLayout.LAYOUT_FILE), ImageJson.write(ImageLayout.LayoutFile.current()));
        return new Built(md, cd, layers, diffIds);
    }

    private static Descriptor blob(Path layout, String type, byte[] data) throws IOException {
        Digest d = Digest.sha256(data);
        Files.write(layout.resolve(ImageLayout.blobPath(d)), data);
        return Descriptor.of(type, d, data.length);
    }

    @FunctionalInterface
    interface Body {
        void write(TarWriter w) throws IOException;
    }

    static byte[] tar(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        body.write(w);
        w.finish();
        return out.toByteArray();
    }

    static void dir(TarWriter w, String name, int mode) throws IOException {
        w.putEntry(TarEntry.of(name, TarEntry.Type.DIRECTORY, mode, 0, 1_700_000_000L));
    }

    static void file(TarWriter w, String name, byte[] data, int mode) throws IOException {
        w.putEntry(TarEntry.of(name, TarEntry.Type.REGULAR, mode, data.length, 1_700_000_000L));
        w.write(data, 0, data.length);
    }

    static void link(TarWriter w, String name, String target) throws IOException {
        w.putEntry(new TarEntry(name, TarEntry.Type.SYMLINK, 0777, 0, 0, "", "", 0, 1_700_000_000L, 0, target, 0, 0, Map.of()));
    }
}
