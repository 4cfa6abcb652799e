package dev.gantry.image;

import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageConfig;
import dev.gantry.oci.image.ImageManifest;

/**
 * An image in the local store, resolved: its record, the manifest and the config (parsed view
 * plus the exact stored bytes, which are what the image ID hashes).
 */
public record LocalImage(ImageRecord record, ImageManifest manifest, byte[] configBytes, ImageConfig config) {

    /** The image ID: the digest of the config. */
    public Digest id() {
        return manifest.config().digest();
    }
}
