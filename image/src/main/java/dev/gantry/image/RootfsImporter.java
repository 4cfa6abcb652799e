package dev.gantry.image;

import dev.gantry.base.GantryException;
import dev.gantry.content.ContentStore;
import dev.gantry.content.Lease;
import dev.gantry.content.Writer;
import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.DigestAlgorithm;
import dev.gantry.oci.image.ImageConfig;
import dev.gantry.oci.image.ImageJson;
import dev.gantry.oci.image.ImageManifest;
import dev.gantry.oci.image.MediaType;
import dev.gantry.snapshot.LayerStreams;
import dev.gantry.snapshot.UnpackLimits;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * {@code import}: a root file system tar (plain or gzip) becomes a single-layer image. The
 * layer is gzip-compressed on its way into the content store; diff ID and blob digest are
 * computed in the same pass, so the tar is read once and never held in memory.
 */
final class RootfsImporter {
    private final ContentStore content;

    RootfsImporter(ContentStore content) {
        this.content = content;
    }

    /** The stored manifest and its parsed form, ready to be unpacked and named. */
    record Imported(Descriptor manifestDescriptor, ImageManifest manifest) {
    }

    Imported importTar(InputStream rootfsTar, ContainerConfig config, String created, Lease lease) {
        Descriptor layer;
        Digest diffId;
        try (Writer w = content.writer("import-" + UUID.randomUUID(), -1, null);
             InputStream plain = LayerStreams.uncompressed(rootfsTar, UnpackLimits.DEFAULT)) {
            DigestInputStream hashed = new DigestInputStream(plain, DigestAlgorithm.SHA256.newHasher());
            try (GZIPOutputStream gz = new GZIPOutputStream(ContentWrites.keepOpen(w.stream()), 1 << 16)) {
                hashed.transferTo(gz);
            }
            diffId = Digest.of(DigestAlgorithm.SHA256, hashed.getMessageDigest());
            layer = Descriptor.of(MediaType.OCI_LAYER_GZIP, w.digest(), w.offset());
            lease.add(layer);
            w.commit(layer.size(), layer.digest());
        } catch (IOException e) {
            throw GantryException.invalid("import: " + e.getMessage());
        }
        ImageConfig cfg = new ImageConfig(created, null, "amd64", "linux", null, null, config,
                ImageConfig.RootFs.layers(List.of(diffId)),
                List.of(new ImageConfig.History(created, "gantry import", null, "Imported from tarball", null)));
        Descriptor cd = ContentWrites.putDocument(content, MediaType.OCI_CONFIG, ImageJson.write(cfg), lease);
        ImageManifest m = ImageManifest.of(MediaType.OCI_MANIFEST, cd, List.of(layer));
        return new Imported(ContentWrites.putDocument(content, MediaType.OCI_MANIFEST, ImageJson.write(m), lease), m);
    }
}
