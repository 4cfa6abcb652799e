package dev.gantry.api.docker.http;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/**
 * A JSON request body over the server's limit. It is an INVALID_ARGUMENT for every other
 * layer; {@link ErrorMapping} alone turns it into HTTP 413.
 */
public final class BodyTooLargeException extends GantryException {
    public BodyTooLargeException(long size, long limit) {
        super(ErrorKind.INVALID_ARGUMENT, "request body of " + size + " bytes is larger than the limit of " + limit + " bytes");
    }
}
