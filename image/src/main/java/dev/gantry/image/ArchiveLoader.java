package dev.gantry.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.GantryException;
import dev.gantry.content.ContentStore;
import dev.gantry.content.Lease;
import dev.gantry.content.Writer;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageIndex;
import dev.gantry.oci.image.ImageJson;
import dev.gantry.oci.image.ImageLayout;
import dev.gantry.oci.image.ImageManifest;
import dev.gantry.oci.image.ManifestDocument;
import dev.gantry.oci.image.MediaType;
import dev.gantry.oci.image.Platform;
import dev.gantry.snapshot.LayerStreams;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads an image tarball in one streaming pass: every file member goes straight into the
 * content store (OCI blobs are verified against their path's digest), small index documents
 * are kept in memory, and symlinks/hardlinks between members (newer docker save output) are
 * followed by name. Then the images are assembled from manifest.json (docker save) or
 * index.json (OCI layout). Docker-archive images get a new OCI manifest written by Gantry, as
 * docker-archive has none; their image ID (config digest) is unchanged.
 */
final class ArchiveLoader {
    private static final Set<String> DOCUMENTS = Set.of("manifest.json", "repositories", ImageLayout.INDEX_FILE, ImageLayout.LAYOUT_FILE);
    private static final int DOCUMENT_LIMIT = 16 << 20;
    private final ContentStore content;
    private final Platform platform;

    ArchiveLoader(ContentStore content, Platform platform) {
        this.content = content;
        this.platform = platform;
    }

    /** One loaded image: its manifest (stored), and the names the archive gives it. */
    record Loaded(Descriptor manifestDescriptor, ImageManifest manifest, List<Reference> names) {
    }

    List<Loaded> load(InputStream archive, Lease lease) throws IOException {
        Map<String, Descriptor> files = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        Map<String, byte[]> documents = new HashMap<>();
        TarReader tar = new TarReader(archive);
        for (TarEntry e; (e = tar.next()) != null; ) {
            String name = clean(e.name());
            switch (e.type()) {
                case SYMLINK -> links.put(name, resolveRelative(name, e.linkName()));
                case HARDLINK -> links.put(name, clean(e.linkName()));
                case REGULAR -> {
                    if (DOCUMENTS.contains(name)) {
                        if (e.size() > DOCUMENT_LIMIT) {
                            throw GantryException.invalid("load: " + name + " is larger than " + DOCUMENT_LIMIT + " bytes");
                        }
                        documents.put(name, tar.content().readAllBytes());
                    } else {
                        files.put(name, ingest(name, e.size(), tar.content(), lease));
                    }
                }
                default -> {
                    // Directories and anything else carry nothing an image needs.
                }
            }
        }
        Lookup lookup = new Lookup(files, links);
        if (documents.containsKey(ImageLayout.INDEX_FILE) && documents.containsKey(ImageLayout.LAYOUT_FILE)) {
            return fromLayout(documents.get(ImageLayout.INDEX_FILE), lease);
        }
        if (documents.containsKey("manifest.json")) {
            return fromDockerArchive(documents.get("manifest.json"), lookup, lease);
        }
        throw GantryException.invalid("load: the archive has neither manifest.json (docker save) nor oci-layout and index.json");
    }

    private Descriptor ingest(String name, long size, InputStream data, Lease lease) throws IOException {
        Digest expected = blobDigest(name);
        try (Writer w = content.writer("load-" + UUID.randomUUID(), size, expected)) {
            byte[] buf = new byte[1 << 17];
            int n;
            while ((n = data.read(buf)) > 0) {
                w.write(buf, 0, n);
            }
            Descriptor d = Descriptor.of(MediaType.OCI_LAYER, w.digest(), w.offset());
            // On the lease before it becomes a blob, so a collection cannot take it.
            lease.add(d);
            w.commit(size, expected);
            return d;
        }
    }

    /** The digest a layout path {@code blobs/<alg>/<hex>} promises, or null for other paths. */
    private static Digest blobDigest(String name) {
        String[] parts = name.split("/");
        if (parts.length == 3 && parts[0].equals(ImageLayout.BLOBS_DIR)) {
            return Digest.parse(parts[1] + ":" + parts[2]);
        }
        return null;
    }

    private List<Loaded> fromLayout(byte[] indexBytes, Lease lease) {
        ImageIndex index = ImageJson.read(indexBytes, ImageIndex.class, "load: index.json");
        List<Loaded> out = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            Descriptor md = d;
            ManifestDocument doc = document(md);
            if (doc instanceof ImageIndex nested) {
                md = nested.select(platform).orElseThrow(() -> GantryException.notFound(
                        "load: index " + d.digest() + " has no manifest for " + platform));
                doc = document(md);
            }
            if (!(doc instanceof ImageManifest m)) {
                throw GantryException.invalid("load: " + md.digest() + " is not an image manifest");
            }
            lease.add(md);
            out.add(new Loaded(Descriptor.of(m.mediaType(), md.digest(), md.size()), m, names(d)));
        }
        return out;
    }

    private ManifestDocument document(Descriptor d) {
        return ManifestDocument.parse(content.readAll(d.digest(), DOCUMENT_LIMIT), d.mediaType());
    }

    private static List<Reference> names(Descriptor d) {
        Map<String, String> ann = d.annotations() == null ? Map.of() : d.annotations();
        for (String key : List.of(ImageLayout.IMAGE_NAME, ImageLayout.REF_NAME)) {
            String v = ann.get(key);
            if (v != null) {
                try {
                    return List.of(Reference.parse(v));
                } catch (GantryException notAFullName) {
                    // A bare tag such as "latest" names no repository.
                }
            }
        }
        return List.of();
    }

    private List<Loaded> fromDockerArchive(byte[] manifestJson, Lookup files, Lease lease) throws IOException {
        JsonNode entries = ImageJson.read(manifestJson, JsonNode.class, "load: manifest.json");
        if (!entries.isArray()) {
            throw GantryException.invalid("load: manifest.json is not an array");
        }
        List<Loaded> out = new ArrayList<>();
        for (JsonNode entry : entries) {
            Descriptor configFile = files.get(entry.path("Config").asText());
            Descriptor config = Descriptor.of(MediaType.OCI_CONFIG, configFile.digest(), configFile.size());
            List<Descriptor> layers = new ArrayList<>();
            for (JsonNode l : entry.path("Layers")) {
                Descriptor f = files.get(l.asText());
                layers.add(Descriptor.of(layerType(f.digest()), f.digest(), f.size()));
            }
            ImageManifest m = ImageManifest.of(MediaType.OCI_MANIFEST, config, layers);
            byte[] bytes = ImageJson.write(m);
            Descriptor desc = ContentWrites.putDocument(content, MediaType.OCI_MANIFEST, bytes, lease);
            List<Reference> names = new ArrayList<>();
            for (JsonNode t : entry.path("RepoTags")) {
                names.add(Reference.parse(t.asText()));
            }
            out.add(new Loaded(desc, m, names));
        }
        return out;
    }

    private String layerType(Digest d) throws IOException {
        try (InputStream in = new BufferedInputStream(content.open(d))) {
            return switch (LayerStreams.detect(in)) {
                case GZIP -> MediaType.OCI_LAYER_GZIP;
                case ZSTD -> MediaType.OCI_LAYER_ZSTD;
                case NONE -> MediaType.OCI_LAYER;
            };
        }
    }

    /** Finds a member by path, through the archive's own links. */
    private record Lookup(Map<String, Descriptor> files, Map<String, String> links) {
        Descriptor get(String path) {
            String p = clean(path);
            for (int hops = 0; hops < 16; hops++) {
                Descriptor d = files.get(p);
                if (d != null) {
                    return d;
                }
                p = links.get(p);
                if (p == null) {
                    break;
                }
            }
            throw GantryException.invalid("load: manifest.json names " + path + ", which the archive does not contain");
        }
    }

    private static String clean(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static String resolveRelative(String from, String target) {
        if (target.startsWith("/")) {
            return clean(target);
        }
        java.nio.file.Path base = java.nio.file.Path.of("/" + from).getParent();
        return clean(base.resolve(target).normalize().toString());
    }
}
