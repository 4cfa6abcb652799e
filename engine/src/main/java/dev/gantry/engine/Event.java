package dev.gantry.engine;

import java.util.Map;

/**
 * Something that happened to an object of the engine ({@code docker events}).
 *
 * @param type       container, image or volume
 * @param action     create, start, die, stop, kill, destroy, pause, unpause, rename, exec_create,
 *                   exec_start (containers); pull, tag, untag, delete, import, load (images);
 *                   create, destroy (volumes)
 * @param actorId    the object's id (a volume's name)
 * @param attributes the object's name, image, labels, and the action's details (exitCode, signal, oldName)
 * @param timeNano   when it happened, in nanoseconds since the epoch
 */
public record Event(String type, String action, String actorId, Map<String, String> attributes, long timeNano) {
    public Event {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
