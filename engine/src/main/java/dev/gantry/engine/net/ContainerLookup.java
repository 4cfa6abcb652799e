package dev.gantry.engine.net;

import java.util.OptionalInt;

/** What networking needs to know of the engine's containers. */
public interface ContainerLookup {
    /** The id a container reference names; NOT_FOUND when none. */
    String resolve(String ref);

    /** The container's current name (without a slash). */
    String name(String id);

    /** The host pid of the container's init while it runs. */
    OptionalInt runningPid(String id);

    /** The monitor the engine holds while it starts, stops or removes the container. */
    Object lock(String id);
}
