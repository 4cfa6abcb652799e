package dev.gantry.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.content.ContentStore;
import dev.gantry.content.Lease;
import dev.gantry.content.Writer;
import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.DigestAlgorithm;
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
 * config is the parent's (every field kept) with the layer's diff ID and a history entry
 * appended and, when given, a replacement container config.
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
        byte[] configBytes = childConfig(parent, diffId, config, comment, created);
        List<Descriptor> layers = new ArrayList<>(parent.manifest().layers());
        layers.add(layer);
        Descriptor cd = ContentWrites.putDocument(content, MediaType.OCI_CONFIG, configBytes, lease);
        ImageManifest m = ImageManifest.of(MediaType.OCI_MANIFEST, cd, layers);
        return new Committed(ContentWrites.putDocument(content, MediaType.OCI_MANIFEST, ImageJson.write(m), lease), m);
    }

    /**
     * The parent's config as a JSON tree with the new layer and history entry appended, so that
     * fields this project does not model (Docker's Hostname, Domainname, …) carry over.
     */
    private static byte[] childConfig(LocalImage parent, Digest diffId, ContainerConfig config, String comment, String created) {
        ObjectNode root = (ObjectNode) ImageJson.read(parent.configBytes(), JsonNode.class, "config " + parent.id());
        root.put("created", created);
        ObjectNode rootfs = root.has("rootfs") && root.get("rootfs").isObject() ? (ObjectNode) root.get("rootfs") : root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.has("diff_ids") && rootfs.get("diff_ids").isArray()
                ? (ArrayNode) rootfs.get("diff_ids") : rootfs.putArray("diff_ids");
        diffIds.add(diffId.toString());
        ArrayNode history = root.has("history") && root.get("history").isArray() ? (ArrayNode) root.get("history") : root.putArray("history");
        ObjectNode entry = history.addObject().put("created", created).put("created_by", "gantry commit");
        if (comment != null) {
            entry.put("comment", comment);
        }
        if (config != null) {
            root.set("config", ImageJson.mapper().valueToTree(config));
        }
        return ImageJson.write(root);
    }
}
