package dev.gantry.image.registry;

import dev.gantry.oci.image.Digest;

/** A manifest or index as the registry served it: the exact bytes, their media type and digest. */
public record FetchedManifest(byte[] bytes, String mediaType, Digest digest) {
}
