package dev.gantry.engine;

/**
 * How a wait ended: the exit code of the container's last run, and an error message when
 * the exit status is not known or the wait ended for another reason (empty otherwise).
 */
public record ExitResult(int exitCode, String error) {
}
