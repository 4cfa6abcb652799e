package dev.gantry.engine;

/**
 * A container's status as Docker reports it ({@code State.Status}). {@code created}: never
 * started, or its start failed; {@code running} (and {@code paused}, frozen while running);
 * {@code restarting}: its process exited and the restart policy will start it again after
 * a delay; {@code exited}: its process ended; {@code dead}: the engine could not clean it up.
 */
public enum Status {
    CREATED, RUNNING, PAUSED, RESTARTING, EXITED, DEAD;

    /** Docker's lower-case spelling. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the container's processes exist (running, paused). */
    public boolean isLive() {
        return this == RUNNING || this == PAUSED;
    }
}
