package dev.gantry.image;

import dev.gantry.base.ErrorKind;
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
import dev.gantry.snapshot.OverlayDiffer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * {@code commit}: the changes of a container's writable snapshot become a new layer on top of
 * its image. The diff is streamed as a tar into gzip into the content store; the diff ID
 * (uncompressed) and the blob digest (compressed) are computed in the same pass. The new
 * config is the parent's with the layer's diff ID and a history entry appended and, when
 * given, a replacement container config.
 */
final class LayerCommitter {
    private final ContentStore content;
    private final OverlayDiffer differ;

    LayerCommitter(ContentStore content, OverlayDiffer differ) {
        this.content = content;
        this.differ = differ;
    }

    record Committed(Descriptor manifestDescriptor, ImageManifest manifest) {
    }

    Committed commit(LocalImage parent, Path upperDir, ContainerConfig config, String comment, String created, Lease lease) {
        Descriptor layer;
        Digest diffId;
        try (Writer w = content.writer("commit-" + UUID.randomUUID(), -1, null)) {
            DigestOutputStream plain;
            try (GZIPOutputStream gz = new GZIPOutputStream(ContentWrites.keepOpen(w.stream()), 1 << 16)) {
                plain = new DigestOutputStream(gz, DigestAlgorithm.SHA256.newHasher());
                differ.diff(upperDir, plain);
                plain.flush();
            }
            diffId = Digest.of(DigestAlgorithm.SHA256, plain.getMessageDigest());
            layer = Descriptor.of(MediaType.OCI_LAYER_GZIP, w.digest(), w.offset());
            lease.add(layer);
            w.commit(layer.size(), layer.digest());
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "commit: writing the layer: " + e.getMessage(), e);
        }
        ImageConfig p = parent.config();
        List<Digest> diffIds = new ArrayList<>(p.diffIds());
        diffIds.add(diffId);
        List<ImageConfig.History> history = new ArrayList<>(p.history());
        history.add(new ImageConfig.History(created, "gantry commit", null, comment, null));
        ImageConfig cfg = new ImageConfig(created, p.author(), p.architecture(), p.os(), p.osVersion(), p.variant(),
                config != null ? config : p.config(), ImageConfig.RootFs.layers(diffIds), history);
        List<Descriptor> layers = new ArrayList<>(parent.manifest().layers());
        layers.add(layer);
        Descriptor cd = ContentWrites.putDocument(content, MediaType.OCI_CONFIG, ImageJson.write(cfg), lease);
        ImageManifest m = ImageManifest.of(MediaType.OCI_MANIFEST, cd, layers);
        return new Committed(ContentWrites.putDocument(content, MediaType.OCI_MANIFEST, ImageJson.write(m), lease), m);
    }
}
