package dev.gantry.engine;

/**
 * What {@link Engine#wait} waits for. {@code NOT_RUNNING}: the container is not running (at
 * once when it is created or exited); {@code NEXT_EXIT}: the next exit of its process after
 * the wait was registered; {@code REMOVED}: the container has been removed.
 */
public enum WaitCondition { NOT_RUNNING, NEXT_EXIT, REMOVED }
