package dev.gantry.api.docker.backend;

import dev.gantry.base.GantryException;

/**
 * What {@code POST /containers/{id}/wait} waits for: {@code not-running} (returns at once if
 * the container is not running), {@code next-exit} (the next exit after the call, even if
 * it is not running now), {@code removed} (the container is gone).
 */
public enum WaitCondition {
    NOT_RUNNING("not-running"),
    NEXT_EXIT("next-exit"),
    REMOVED("removed");

    private final String wire;

    WaitCondition(String wire) {
        this.wire = wire;
    }

    public static WaitCondition parse(String value) {
        if (value == null || value.isEmpty()) {
            return NOT_RUNNING;
        }
        for (WaitCondition c : values()) {
            if (c.wire.equals(value)) {
                return c;
            }
        }
        throw GantryException.invalid("invalid condition: \"" + value + "\"");
    }

    public String wire() {
        return wire;
    }
}
