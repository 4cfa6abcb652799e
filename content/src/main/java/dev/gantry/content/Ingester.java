package dev.gantry.content;

import dev.gantry.oci.image.Digest;

/**
 * Write access: content enters through a {@link Writer} bound to a <em>ref</em>, a caller-chosen
 * name for one ingest (e.g. {@code pull-sha256:…}). An ingest outlives its writer: opening a
 * writer on the same ref later resumes at the bytes already written. Only one writer may hold
 * a ref at a time; a second gets UNAVAILABLE ("ref locked").
 */
public interface Ingester {

    /**
     * Opens (or resumes) the ingest {@code ref}. {@code expectedSize} (or -1) and
     * {@code expected} (or null) describe the blob when known; they let a resumed ingest whose
     * bytes cannot match be restarted, and make {@link Writer#commit} check them.
     */
    Writer writer(String ref, long expectedSize, Digest expected);
}
