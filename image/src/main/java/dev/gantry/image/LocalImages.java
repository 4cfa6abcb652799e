package dev.gantry.image;

import dev.gantry.base.GantryException;
import dev.gantry.content.Provider;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageConfig;
import dev.gantry.oci.image.ImageJson;
import dev.gantry.oci.image.ImageManifest;
import dev.gantry.oci.image.ManifestDocument;
import java.util.List;

/** Reads images of the store: names or IDs to {@link LocalImage}s, from records and content. */
final class LocalImages {
    static final int DOCUMENT_LIMIT = 4 << 20;
    private final Provider content;
    private final ImageStore images;

    LocalImages(Provider content, ImageStore images) {
        this.content = content;
        this.images = images;
    }

    /** The image a reference, repository@digest or (short, ≥ 12 hex digits) image ID names. */
    LocalImage resolve(String reference) {
        String idText = reference.startsWith("sha256:") ? reference.substring(7) : reference;
        if (idText.matches("[0-9a-f]{12,64}")) {
            for (ImageRecord r : images.all()) {
                if (r.id().hex().startsWith(idText)) {
                    return read(r, null);
                }
            }
        }
        Reference ref;
        try {
            ref = Reference.parse(reference);
        } catch (GantryException e) {
            throw GantryException.notFound("image " + reference + ": no such image");
        }
        if (ref.digest() != null) {
            for (ImageRecord r : images.all()) {
                if (!isUnnamed(r) && Reference.parse(r.name()).repository().equals(ref.repository())
                        && (r.target().digest().equals(ref.digest()) || (ref.repository() + "@" + ref.digest()).equals(r.repoDigest()))) {
                    return read(r, null);
                }
            }
        }
        return images.get(ref.toString()).map(r -> read(r, null))
                .orElseThrow(() -> GantryException.notFound("image " + reference + ": no such image"));
    }

    /** The record's image; {@code known} saves re-reading a manifest the caller already has. */
    LocalImage read(ImageRecord rec, ImageManifest known) {
        ImageManifest m = known;
        if (m == null) {
            ManifestDocument doc = ManifestDocument.parse(content.readAll(rec.target().digest(), DOCUMENT_LIMIT),
                    rec.target().mediaType());
            if (!(doc instanceof ImageManifest im)) {
                throw GantryException.invalid("image " + rec.name() + ": target is not an image manifest");
            }
            m = im;
        }
        byte[] configBytes = content.readAll(m.config().digest(), DOCUMENT_LIMIT);
        ImageConfig config = ImageJson.read(configBytes, ImageConfig.class, "image config " + m.config().digest());
        return new LocalImage(rec, m, configBytes, config);
    }

    /** Every name of the image {@code id}. */
    List<ImageRecord> namesOf(Digest id) {
        return images.all().stream().filter(r -> r.id().equals(id)).toList();
    }

    /** Unnamed images (imported or loaded without a name) are stored under their ID. */
    static boolean isUnnamed(ImageRecord r) {
        return r.name().startsWith("sha256:");
    }
}
