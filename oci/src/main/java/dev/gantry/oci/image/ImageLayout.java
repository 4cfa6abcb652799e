package dev.gantry.oci.image;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Names fixed by the OCI image layout (image-layout.md): the {@code oci-layout} marker file,
 * {@code index.json}, and {@code blobs/<alg>/<hex>}; plus the annotations that name images.
 */
public final class ImageLayout {
    private ImageLayout() {
    }

    public static final String LAYOUT_FILE = "oci-layout";
    public static final String INDEX_FILE = "index.json";
    public static final String BLOBS_DIR = "blobs";
    public static final String VERSION = "1.0.0";
    /** The tag (or full reference) of a manifest listed in index.json. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The full image name containerd and Docker put beside the OCI ref name. */
    public static final String IMAGE_NAME = "io.containerd.image.name";

    /** The path of a blob relative to the layout root, e.g. {@code blobs/sha256/ab…}. */
    public static String blobPath(Digest digest) {
        return BLOBS_DIR + "/" + digest.algorithm().id() + "/" + digest.hex();
    }

    /** The content of the {@code oci-layout} file. */
    public record LayoutFile(@JsonProperty("imageLayoutVersion") String imageLayoutVersion) {
        public static LayoutFile current() {
            return new LayoutFile(VERSION);
        }
    }
}
