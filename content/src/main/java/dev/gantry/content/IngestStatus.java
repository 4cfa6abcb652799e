package dev.gantry.content;

import java.time.Instant;

/** An ingest in the ingest area: its ref, bytes written, expected total (-1 unknown), last write. */
public record IngestStatus(String ref, long offset, long total, Instant updatedAt) {
}
