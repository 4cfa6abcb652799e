package dev.gantry.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.content.Provider;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageIndex;
import dev.gantry.oci.image.ImageJson;
import dev.gantry.oci.image.ImageLayout;
import dev.gantry.snapshot.LayerStreams;
import dev.gantry.snapshot.UnpackLimits;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes images as a tarball, streaming every blob from the content store (nothing is
 * buffered beyond small JSON documents). Docker format: {@code <config-hex>.json},
 * {@code <diff-id-hex>/layer.tar} (uncompressed, as docker save writes them), manifest.json
 * and repositories. OCI format: an image layout with blobs exactly as stored.
 */
final class ArchiveWriter {
    private static final long MTIME = 0;
    private final Provider content;
    private final Function<Digest, Long> uncompressedSize;

    /** {@code uncompressedSize} returns a layer's known uncompressed size by diff ID, or null. */
    ArchiveWriter(Provider content, Function<Digest, Long> uncompressedSize) {
        this.content = content;
        this.uncompressedSize = uncompressedSize;
    }

    /** An image to save and the names it is saved under. */
    record Item(LocalImage image, List<Reference> names) {
    }

    void writeDocker(List<Item> items, OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out);
        Set<String> written = new HashSet<>();
        ArrayNode manifest = ImageJson.mapper().createArrayNode();
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        for (Item item : items) {
            LocalImage img = item.image();
            List<Digest> diffIds = img.config().diffIds();
            List<String> layerPaths = new ArrayList<>();
            for (int i = 0; i < img.manifest().layers().size(); i++) {
                Descriptor layer = img.manifest().layers().get(i);
                Digest diffId = diffIds.get(i);
                String path = diffId.hex() + "/layer.tar";
                layerPaths.add(path);
                if (written.add(path)) {
                    tar.putEntry(TarEntry.of(diffId.hex(), TarEntry.Type.DIRECTORY, 0755, 0, MTIME));
                    writeUncompressed(tar, path, layer, diffId);
                }
            }
            String configPath = img.id().hex() + ".json";
            if (written.add(configPath)) {
                putBytes(tar, configPath, img.configBytes());
            }
            ObjectNode entry = manifest.addObject();
            entry.put("Config", configPath);
            ArrayNode tags = entry.putArray("RepoTags");
            for (Reference r : item.names()) {
                tags.add(r.familiar());
                if (r.tag() != null && !diffIds.isEmpty()) {
                    repositories.computeIfAbsent(r.familiarRepository(), k -> new LinkedHashMap<>())
                            .put(r.tag(), diffIds.getLast().hex());
                }
            }
            ArrayNode layers = entry.putArray("Layers");
            layerPaths.forEach(layers::add);
        }
        putBytes(tar, "manifest.json", ImageJson.write(manifest));
        if (!repositories.isEmpty()) {
            putBytes(tar, "repositories", ImageJson.write(repositories));
        }
        tar.finish();
    }

    void writeOci(List<Item> items, Map<Digest, byte[]> manifests, OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out);
        putBytes(tar, ImageLayout.LAYOUT_FILE, ImageJson.write(ImageLayout.LayoutFile.current()));
        tar.putEntry(TarEntry.of("blobs", TarEntry.Type.DIRECTORY, 0755, 0, MTIME));
        tar.putEntry(TarEntry.of("blobs/sha256", TarEntry.Type.DIRECTORY, 0755, 0, MTIME));
        Set<Digest> written = new HashSet<>();
        List<Descriptor> index = new ArrayList<>();
        for (Item item : items) {
            LocalImage img = item.image();
            for (Descriptor layer : img.manifest().layers()) {
                if (written.add(layer.digest())) {
                    copyBlob(tar, ImageLayout.blobPath(layer.digest()), layer);
                }
            }
            if (written.add(img.id())) {
                putBytes(tar, ImageLayout.blobPath(img.id()), img.configBytes());
            }
            Descriptor md = img.record().target();
            if (written.add(md.digest())) {
                putBytes(tar, ImageLayout.blobPath(md.digest()), manifests.get(md.digest()));
            }
            List<Reference> names = item.names().isEmpty() ? List.of() : item.names();
            if (names.isEmpty()) {
                index.add(Descriptor.of(md.mediaType(), md.digest(), md.size()));
            }
            for (Reference r : names) {
                Map<String, String> ann = new LinkedHashMap<>();
                ann.put(ImageLayout.IMAGE_NAME, r.toString());
                ann.put(ImageLayout.REF_NAME, r.tag() != null ? r.tag() : r.toString());
                index.add(Descriptor.of(md.mediaType(), md.digest(), md.size()).withAnnotations(ann));
            }
        }
        putBytes(tar, ImageLayout.INDEX_FILE, ImageJson.write(ImageIndex.of(index)));
        tar.finish();
    }

    private void writeUncompressed(TarWriter tar, String path, Descriptor layer, Digest diffId) throws IOException {
        Long size = uncompressedSize.apply(diffId);
        if (size == null) {
            // Unknown (never unpacked here): one counting pass costs CPU, not memory.
            try (InputStream in = LayerStreams.uncompressed(content.open(layer.digest()), UnpackLimits.DEFAULT)) {
                size = in.transferTo(OutputStream.nullOutputStream());
            }
        }
        tar.putEntry(TarEntry.of(path, TarEntry.Type.REGULAR, 0644, size, MTIME));
        try (InputStream in = LayerStreams.uncompressed(content.open(layer.digest()), UnpackLimits.DEFAULT)) {
            copyExactly(in, tar, size, path);
        }
    }

    private void copyBlob(TarWriter tar, String path, Descriptor d) throws IOException {
        long size;
        try (var ch = content.openChannel(d.digest())) {
            size = ch.size();
        }
        tar.putEntry(TarEntry.of(path, TarEntry.Type.REGULAR, 0644, size, MTIME));
        try (InputStream in = content.open(d.digest())) {
            copyExactly(in, tar, size, path);
        }
    }

    private static void copyExactly(InputStream in, TarWriter tar, long size, String path) throws IOException {
        byte[] buf = new byte[1 << 17];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new GantryException(ErrorKind.INTERNAL, "save: " + path + " ended " + left + " bytes early");
            }
            tar.write(buf, 0, n);
            left -= n;
        }
    }

    private static void putBytes(TarWriter tar, String path, byte[] data) throws IOException {
        tar.putEntry(TarEntry.of(path, TarEntry.Type.REGULAR, 0644, data.length, MTIME));
        tar.write(data, 0, data.length);
    }
}
