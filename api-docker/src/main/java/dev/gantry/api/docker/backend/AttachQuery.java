package dev.gantry.api.docker.backend;

/**
 * {@code POST /containers/{id}/attach}: {@code logs} replays the log first, {@code stream}
 * follows live output; which of stdin/stdout/stderr are wanted; {@code detachKeys} overrides
 * the key sequence (default ctrl-p,ctrl-q) that ends the attachment without stopping the
 * container.
 */
public record AttachQuery(boolean logs, boolean stream, boolean stdin, boolean stdout, boolean stderr, String detachKeys) {}
