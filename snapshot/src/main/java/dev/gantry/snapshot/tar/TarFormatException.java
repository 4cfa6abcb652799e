package dev.gantry.snapshot.tar;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/** A tar stream that is malformed or uses a feature this reader refuses. */
public final class TarFormatException extends GantryException {
    public TarFormatException(String message) {
        super(ErrorKind.INVALID_ARGUMENT, "tar: " + message);
    }
}
