package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/**
 * A command line the CLI cannot accept: an unknown flag or command, a missing argument, a bad
 * value. Docker answers these with exit code 125 and a pointer to the command's {@code --help}.
 */
public final class UsageException extends GantryException {
    public UsageException(String message) {
        super(ErrorKind.INVALID_ARGUMENT, message);
    }
}
