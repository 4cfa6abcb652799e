package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/** The daemon refused a request: its HTTP status and message, printed as docker prints it. */
public final class DaemonException extends GantryException {
    private final int status;

    public DaemonException(ErrorKind kind, int status, String message) {
        super(kind, message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
