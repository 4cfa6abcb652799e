package dev.gantry.api.docker.http;

import dev.gantry.base.GantryException;

/**
 * The one place where Gantry's error kinds become HTTP status codes, following Docker's
 * {@code errdefs} → status table (moby {@code api/server/httpstatus}):
 * <ul>
 *   <li>NOT_FOUND → 404 (no such container, image, volume, exec)</li>
 *   <li>ALREADY_EXISTS, CONFLICT → 409 (name in use, container running, image in use)</li>
 *   <li>INVALID_ARGUMENT → 400 (bad parameter, malformed JSON), except an oversized JSON
 *       body → 413</li>
 *   <li>PERMISSION_DENIED → 403 (Docker's "forbidden", e.g. removing a built-in network)</li>
 *   <li>UNAVAILABLE → 503 (the host or this daemon cannot provide the feature)</li>
 *   <li>TIMEOUT → 500: Docker reports an expired deadline as a system error, and a 504
 *       would wrongly suggest a gateway in between</li>
 *   <li>INTERNAL and any other exception → 500</li>
 * </ul>
 * The body is always {@code {"message": "..."}}.
 */
public final class ErrorMapping {
    private ErrorMapping() {}

    public static int status(Throwable error) {
        if (error instanceof BodyTooLargeException) {
            return 413;
        }
        if (!(error instanceof GantryException g)) {
            return 500;
        }
        return switch (g.kind()) {
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, CONFLICT -> 409;
            case INVALID_ARGUMENT -> 400;
            case PERMISSION_DENIED -> 403;
            case UNAVAILABLE -> 503;
            case TIMEOUT, INTERNAL -> 500;
        };
    }

    /** The error reply: status from {@link #status} and Docker's {@code {"message": ...}} body. */
    public static Reply.Full reply(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return Reply.json(status(error), new ErrorBody(message));
    }

    /** Docker's error body. */
    public record ErrorBody(@com.fasterxml.jackson.annotation.JsonProperty("message") String message) {}
}
