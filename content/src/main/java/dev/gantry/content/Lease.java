package dev.gantry.content;

import dev.gantry.oci.image.Descriptor;
import java.time.Instant;
import java.util.Set;

/**
 * A named claim on content that is not (yet) reachable from an image: a pull in flight takes a
 * lease before it writes the first blob and releases it after the image record exists; a
 * container takes one for its image's content. Leases are persisted, so they also protect
 * content across a daemon restart until they expire.
 */
public interface Lease extends AutoCloseable {

    String id();

    /** After this instant the lease no longer protects anything. */
    Instant expiresAt();

    /** Adds content (and, for a manifest or index, everything it references) to the lease. */
    void add(Descriptor resource);

    /** The content this lease holds. */
    Set<Descriptor> resources();

    /** Releases the lease; its content becomes collectable unless something else holds it. */
    @Override
    void close();
}
