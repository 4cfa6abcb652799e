package dev.gantry.daemon.adapter;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/** The one answer for Docker operations the engine has no counterpart for yet: 503 naming the operation. */
final class Unsupported {
    private Unsupported() {}

    static GantryException operation(String what) {
        return new GantryException(ErrorKind.UNAVAILABLE, what + " is not supported by this gantryd engine");
    }
}
