package dev.gantry.image.registry;

import java.io.InputStream;

/**
 * An open blob download. {@code offset} is where {@code body} starts: the requested offset when
 * the registry honoured the Range request (206), or 0 when it sent the whole blob (200).
 */
public record BlobResponse(InputStream body, long offset) {
}
