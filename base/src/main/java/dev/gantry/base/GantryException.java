package dev.gantry.base;

/**
 * The one error type of Gantry. The message is a complete sentence fragment a user can act
 * on (it names the field, path or call that failed); the kind says which category of failure
 * it is, so protocol edges can map it to a status without parsing messages.
 */
public class GantryException extends RuntimeException {
    private final ErrorKind kind;

    public GantryException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public GantryException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static GantryException notFound(String message) {
        return new GantryException(ErrorKind.NOT_FOUND, message);
    }

    public static GantryException invalid(String message) {
        return new GantryException(ErrorKind.INVALID_ARGUMENT, message);
    }

    public static GantryException conflict(String message) {
        return new GantryException(ErrorKind.CONFLICT, message);
    }
}
