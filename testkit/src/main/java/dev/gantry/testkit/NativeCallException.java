package dev.gantry.testkit;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/** A failed libc call made by the test kit; the message names the call and the errno. */
public final class NativeCallException extends GantryException {
    private final int errno;

    NativeCallException(int errno, String message) {
        super(ErrorKind.INTERNAL, message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
