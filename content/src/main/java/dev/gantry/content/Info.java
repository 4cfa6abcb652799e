package dev.gantry.content;

import dev.gantry.oci.image.Digest;
import java.time.Instant;

/** A committed blob: its digest, size and when it was committed. */
public record Info(Digest digest, long size, Instant committedAt) {
}
