package dev.gantry.base;

/**
 * The small set of error categories every Gantry layer speaks. A component picks the kind
 * that says what the caller did wrong (or what the world refused); wire protocols map a kind
 * to a status code in exactly one place each (HTTP in the API server, exit codes in the CLIs).
 */
public enum ErrorKind {
    /** The named thing (container, file, image, namespace path) does not exist. */
    NOT_FOUND,
    /** Something with that name or id already exists. */
    ALREADY_EXISTS,
    /** The request itself is malformed or names an impossible value. */
    INVALID_ARGUMENT,
    /** The request is valid but the target is in the wrong state for it. */
    CONFLICT,
    /** The kernel or a file mode refused the operation. */
    PERMISSION_DENIED,
    /** The host cannot provide what was asked (missing feature, limit it refuses). */
    UNAVAILABLE,
    /** A deadline passed. */
    TIMEOUT,
    /** A fault in Gantry or the host that the caller could not have avoided. */
    INTERNAL
}
