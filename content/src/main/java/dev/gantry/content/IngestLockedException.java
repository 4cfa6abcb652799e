package dev.gantry.content;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/**
 * Another writer holds the ingest ref (UNAVAILABLE). Callers fetching the same blob wait for
 * that writer to commit instead of downloading it twice.
 */
public final class IngestLockedException extends GantryException {
    public IngestLockedException(String ref) {
        super(ErrorKind.UNAVAILABLE, "ingest " + ref + ": ref locked by another writer");
    }
}
