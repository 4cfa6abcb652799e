package dev.gantry.oci.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/**
 * What a registry or an image layout answers for a manifest reference: a single-platform
 * manifest or a multi-platform index. The media type decides; when a document omits it (it is
 * optional in OCI), the shape does.
 */
public sealed interface ManifestDocument permits ImageManifest, ImageIndex {

    /** The document's media type. */
    String mediaType();

    /**
     * Parses manifest bytes. {@code declaredType} is the Content-Type or descriptor media type the
     * bytes came with (may be null). Schema 1 and unknown types are refused.
     */
    static ManifestDocument parse(byte[] bytes, String declaredType) {
        JsonNode tree;
        try {
            tree = ImageJson.mapper().readTree(bytes);
        } catch (java.io.IOException e) {
            throw GantryException.invalid("manifest: malformed JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw GantryException.invalid("manifest: not a JSON object");
        }
        String type = tree.hasNonNull("mediaType") ? tree.get("mediaType").asText() : declaredType;
        if (type == null || type.isEmpty() || type.startsWith("application/json") || type.startsWith("text/plain")) {
            type = tree.has("manifests") ? MediaType.OCI_INDEX : tree.has("config") ? MediaType.OCI_MANIFEST : null;
        }
        if (type != null && MediaType.isManifest(type)) {
            ImageManifest m = ImageJson.read(bytes, ImageManifest.class, "manifest");
            return m.mediaType() == null ? m.withMediaType(type) : m;
        }
        if (type != null && MediaType.isIndex(type)) {
            ImageIndex i = ImageJson.read(bytes, ImageIndex.class, "index");
            return i.mediaType() == null ? i.withMediaType(type) : i;
        }
        throw new GantryException(ErrorKind.INVALID_ARGUMENT, "manifest: unsupported media type '" + type + "'");
    }
}
