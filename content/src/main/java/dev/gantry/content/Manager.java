package dev.gantry.content;

import dev.gantry.oci.image.Digest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Management of committed blobs and of ingests in progress. */
public interface Manager {

    /** Size and commit time of a committed blob, if present. */
    Optional<Info> info(Digest digest);

    /** Removes a committed blob; NOT_FOUND when absent. */
    void delete(Digest digest);

    /** Calls {@code visitor} for every committed blob. */
    void walk(Consumer<Info> visitor);

    /** Ingests that exist (active or interrupted). */
    List<IngestStatus> ingests();

    /** Discards the ingest {@code ref}; NOT_FOUND when absent, UNAVAILABLE when a writer holds it. */
    void abort(String ref);

    /** Discards interrupted ingests not written to for {@code olderThan}; returns how many. */
    int pruneIngests(Duration olderThan);
}
