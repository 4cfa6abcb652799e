package dev.gantry.image;

/** Tarball formats of save/load. */
public enum ArchiveFormat {
    /** {@code docker save}'s format: manifest.json, config JSON, uncompressed layer.tar files. */
    DOCKER,
    /** An OCI image layout in a tar: oci-layout, index.json, blobs/&lt;alg&gt;/&lt;hex&gt;. */
    OCI
}
